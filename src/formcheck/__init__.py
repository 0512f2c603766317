"""formcheck: watches glute bridges, hip hinges and standing glute kickbacks and says how the form is."""

__version__ = "0.1.0"
