"""Measured angle errors per exercise and camera view: what formcheck chooses its estimates by.

Made by ``python bench/views.py --module`` on 2026-12-01 from 16 renders (``bench/view_scenarios.py``:
two set-ups, azimuths every 15°); do not edit by hand. Keys: exercise → degrees off side-on
(+ towards the front, − towards the back) → angle → estimate (``2d`` image angles, ``world`` 3D
world landmarks, ``mean`` of the two) → error in degrees, the worse of the two
set-ups. Renders are one body shape without clothes: real errors are larger.
"""

Table = dict[str, dict[int, dict[str, dict[str, float]]]]
# mean absolute error
MAE: Table = {
 "glute_bridge": {
  -15: {
   "hip": {
    "2d": 12.3,
    "mean": 6.4,
    "world": 6.3
   },
   "knee": {
    "2d": 8.5,
    "mean": 13.7,
    "world": 18.9
   },
   "pitch": {
    "2d": 9.7,
    "mean": 9.8,
    "world": 9.9
   },
   "trunk": {
    "2d": 9.7,
    "mean": 9.6,
    "world": 9.5
   }
  },
  0: {
   "hip": {
    "2d": 9.1,
    "mean": 4.3,
    "world": 2.8
   },
   "knee": {
    "2d": 3.6,
    "mean": 4.5,
    "world": 7.7
   },
   "pitch": {
    "2d": 2.6,
    "mean": 2.5,
    "world": 2.3
   },
   "trunk": {
    "2d": 2.6,
    "mean": 2.4,
    "world": 2.2
   }
  },
  15: {
   "hip": {
    "2d": 6.2,
    "mean": 5.5,
    "world": 4.8
   },
   "knee": {
    "2d": 5.4,
    "mean": 5.2,
    "world": 6.4
   },
   "pitch": {
    "2d": 3.8,
    "mean": 3.6,
    "world": 3.5
   },
   "trunk": {
    "2d": 3.8,
    "mean": 3.7,
    "world": 3.6
   }
  }
 },
 "hip_hinge": {
  -15: {
   "hip": {
    "2d": 5.3,
    "mean": 4.5,
    "world": 5.9
   },
   "knee": {
    "2d": 3.4,
    "mean": 3.0,
    "world": 6.0
   },
   "pitch": {
    "2d": 3.3,
    "mean": 2.5,
    "world": 2.1
   },
   "trunk": {
    "2d": 3.3,
    "mean": 3.5,
    "world": 5.0
   }
  },
  0: {
   "hip": {
    "2d": 5.1,
    "mean": 4.8,
    "world": 6.7
   },
   "knee": {
    "2d": 2.9,
    "mean": 3.4,
    "world": 6.3
   },
   "pitch": {
    "2d": 3.1,
    "mean": 2.5,
    "world": 3.3
   },
   "trunk": {
    "2d": 3.0,
    "mean": 3.8,
    "world": 6.5
   }
  },
  15: {
   "hip": {
    "2d": 8.0,
    "mean": 5.8,
    "world": 6.6
   },
   "knee": {
    "2d": 3.5,
    "mean": 3.6,
    "world": 7.6
   },
   "pitch": {
    "2d": 4.4,
    "mean": 3.3,
    "world": 5.4
   },
   "trunk": {
    "2d": 3.8,
    "mean": 5.1,
    "world": 9.2
   }
  }
 },
 "standing_glute_kickback": {
  -15: {
   "abduction": {
    "world": 5.1
   },
   "hip": {
    "2d": 6.9,
    "mean": 7.3,
    "world": 8.6
   },
   "knee": {
    "2d": 4.3,
    "mean": 6.0,
    "world": 8.2
   },
   "pitch": {
    "2d": 1.2,
    "mean": 1.5,
    "world": 1.9
   },
   "trunk": {
    "2d": 1.2,
    "mean": 0.8,
    "world": 1.1
   }
  },
  0: {
   "abduction": {
    "world": 11.5
   },
   "hip": {
    "2d": 5.8,
    "mean": 8.4,
    "world": 12.2
   },
   "knee": {
    "2d": 5.8,
    "mean": 6.7,
    "world": 8.7
   },
   "pitch": {
    "2d": 2.1,
    "mean": 4.0,
    "world": 6.2
   },
   "trunk": {
    "2d": 2.1,
    "mean": 5.5,
    "world": 9.2
   }
  },
  15: {
   "abduction": {
    "world": 4.9
   },
   "hip": {
    "2d": 4.8,
    "mean": 6.4,
    "world": 9.1
   },
   "knee": {
    "2d": 4.8,
    "mean": 5.5,
    "world": 7.5
   },
   "pitch": {
    "2d": 1.5,
    "mean": 1.0,
    "world": 0.8
   },
   "trunk": {
    "2d": 1.5,
    "mean": 1.0,
    "world": 1.7
   }
  }
 }
}

# error once each clip's own bias is taken off (rules measured from the start position)
SPREAD: Table = {
 "glute_bridge": {
  -15: {
   "hip": {
    "2d": 4.6,
    "mean": 5.4,
    "world": 6.2
   },
   "knee": {
    "2d": 2.6,
    "mean": 3.7,
    "world": 5.1
   },
   "pitch": {
    "2d": 2.0,
    "mean": 1.6,
    "world": 1.2
   },
   "trunk": {
    "2d": 2.0,
    "mean": 1.6,
    "world": 1.3
   }
  },
  0: {
   "hip": {
    "2d": 2.9,
    "mean": 2.8,
    "world": 2.9
   },
   "knee": {
    "2d": 3.2,
    "mean": 4.5,
    "world": 5.9
   },
   "pitch": {
    "2d": 1.7,
    "mean": 1.3,
    "world": 1.0
   },
   "trunk": {
    "2d": 1.7,
    "mean": 1.3,
    "world": 1.0
   }
  },
  15: {
   "hip": {
    "2d": 3.8,
    "mean": 3.3,
    "world": 3.0
   },
   "knee": {
    "2d": 2.1,
    "mean": 3.1,
    "world": 4.8
   },
   "pitch": {
    "2d": 2.7,
    "mean": 2.1,
    "world": 1.6
   },
   "trunk": {
    "2d": 2.7,
    "mean": 2.1,
    "world": 1.6
   }
  }
 },
 "hip_hinge": {
  -15: {
   "hip": {
    "2d": 5.0,
    "mean": 4.4,
    "world": 4.5
   },
   "knee": {
    "2d": 2.4,
    "mean": 3.0,
    "world": 5.7
   },
   "pitch": {
    "2d": 3.2,
    "mean": 2.5,
    "world": 2.0
   },
   "trunk": {
    "2d": 3.1,
    "mean": 3.4,
    "world": 4.3
   }
  },
  0: {
   "hip": {
    "2d": 4.9,
    "mean": 4.1,
    "world": 4.3
   },
   "knee": {
    "2d": 2.4,
    "mean": 3.4,
    "world": 5.9
   },
   "pitch": {
    "2d": 3.1,
    "mean": 2.2,
    "world": 1.6
   },
   "trunk": {
    "2d": 3.0,
    "mean": 3.0,
    "world": 3.7
   }
  },
  15: {
   "hip": {
    "2d": 6.8,
    "mean": 5.5,
    "world": 5.3
   },
   "knee": {
    "2d": 2.8,
    "mean": 3.3,
    "world": 5.4
   },
   "pitch": {
    "2d": 3.9,
    "mean": 2.7,
    "world": 2.0
   },
   "trunk": {
    "2d": 4.0,
    "mean": 3.5,
    "world": 4.6
   }
  }
 },
 "standing_glute_kickback": {
  -15: {
   "abduction": {
    "world": 3.4
   },
   "hip": {
    "2d": 5.0,
    "mean": 6.3,
    "world": 8.0
   },
   "knee": {
    "2d": 3.6,
    "mean": 5.4,
    "world": 7.9
   },
   "pitch": {
    "2d": 0.7,
    "mean": 0.5,
    "world": 0.6
   },
   "trunk": {
    "2d": 0.7,
    "mean": 0.8,
    "world": 1.1
   }
  },
  0: {
   "abduction": {
    "world": 8.0
   },
   "hip": {
    "2d": 5.8,
    "mean": 8.4,
    "world": 11.3
   },
   "knee": {
    "2d": 5.2,
    "mean": 6.4,
    "world": 8.4
   },
   "pitch": {
    "2d": 0.9,
    "mean": 0.6,
    "world": 0.8
   },
   "trunk": {
    "2d": 0.9,
    "mean": 1.1,
    "world": 1.6
   }
  },
  15: {
   "abduction": {
    "world": 4.2
   },
   "hip": {
    "2d": 4.5,
    "mean": 6.4,
    "world": 9.0
   },
   "knee": {
    "2d": 4.7,
    "mean": 5.4,
    "world": 7.5
   },
   "pitch": {
    "2d": 0.8,
    "mean": 0.6,
    "world": 0.7
   },
   "trunk": {
    "2d": 0.9,
    "mean": 0.9,
    "world": 1.3
   }
  }
 }
}

# mean error (estimate − truth) over the set-ups
BIAS: Table = {
 "glute_bridge": {
  -15: {
   "hip": {
    "2d": -8.7,
    "mean": -3.1,
    "world": 2.5
   },
   "knee": {
    "2d": 8.5,
    "mean": 13.6,
    "world": 18.7
   },
   "pitch": {
    "2d": -7.5,
    "mean": -7.4,
    "world": -7.3
   },
   "trunk": {
    "2d": 7.5,
    "mean": 7.2,
    "world": 7.0
   }
  },
  0: {
   "hip": {
    "2d": -7.1,
    "mean": -3.6,
    "world": -0.0
   },
   "knee": {
    "2d": -2.2,
    "mean": 2.4,
    "world": 7.0
   },
   "pitch": {
    "2d": -1.9,
    "mean": -2.0,
    "world": -2.2
   },
   "trunk": {
    "2d": 1.9,
    "mean": 1.9,
    "world": 2.0
   }
  },
  15: {
   "hip": {
    "2d": -5.6,
    "mean": -5.1,
    "world": -4.6
   },
   "knee": {
    "2d": -5.3,
    "mean": -2.9,
    "world": -0.5
   },
   "pitch": {
    "2d": 2.8,
    "mean": 2.3,
    "world": 1.9
   },
   "trunk": {
    "2d": -2.8,
    "mean": -2.4,
    "world": -2.0
   }
  }
 },
 "hip_hinge": {
  -15: {
   "hip": {
    "2d": -0.5,
    "mean": 1.5,
    "world": 3.5
   },
   "knee": {
    "2d": -1.6,
    "mean": -0.6,
    "world": 0.4
   },
   "pitch": {
    "2d": -1.2,
    "mean": -0.5,
    "world": 0.2
   },
   "trunk": {
    "2d": -1.2,
    "mean": 0.8,
    "world": 2.8
   }
  },
  0: {
   "hip": {
    "2d": -1.2,
    "mean": 0.9,
    "world": 3.1
   },
   "knee": {
    "2d": -1.9,
    "mean": -1.1,
    "world": -0.3
   },
   "pitch": {
    "2d": -0.9,
    "mean": 0.2,
    "world": 1.4
   },
   "trunk": {
    "2d": -0.6,
    "mean": 1.7,
    "world": 4.0
   }
  },
  15: {
   "hip": {
    "2d": -4.6,
    "mean": -0.8,
    "world": 2.9
   },
   "knee": {
    "2d": -2.4,
    "mean": -0.6,
    "world": 1.3
   },
   "pitch": {
    "2d": -1.8,
    "mean": 0.2,
    "world": 2.2
   },
   "trunk": {
    "2d": -0.9,
    "mean": 2.3,
    "world": 5.6
   }
  }
 },
 "standing_glute_kickback": {
  -15: {
   "abduction": {
    "world": -4.8
   },
   "hip": {
    "2d": -4.3,
    "mean": -3.9,
    "world": -3.4
   },
   "knee": {
    "2d": -3.1,
    "mean": -2.9,
    "world": -2.8
   },
   "pitch": {
    "2d": -1.1,
    "mean": -1.5,
    "world": -1.8
   },
   "trunk": {
    "2d": -1.1,
    "mean": -0.4,
    "world": 0.2
   }
  },
  0: {
   "abduction": {
    "world": -7.1
   },
   "hip": {
    "2d": -1.6,
    "mean": 0.4,
    "world": 2.5
   },
   "knee": {
    "2d": -3.6,
    "mean": -3.0,
    "world": -2.3
   },
   "pitch": {
    "2d": 0.8,
    "mean": 1.9,
    "world": 3.0
   },
   "trunk": {
    "2d": 0.8,
    "mean": 3.0,
    "world": 5.2
   }
  },
  15: {
   "abduction": {
    "world": -3.6
   },
   "hip": {
    "2d": -2.2,
    "mean": -2.5,
    "world": -2.9
   },
   "knee": {
    "2d": -1.2,
    "mean": 0.3,
    "world": 1.8
   },
   "pitch": {
    "2d": -1.4,
    "mean": -1.0,
    "world": -0.6
   },
   "trunk": {
    "2d": -1.4,
    "mean": -0.2,
    "world": 1.0
   }
  }
 }
}
