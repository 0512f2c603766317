"""Measured angle errors per exercise and camera view: what formcheck chooses its estimates by.

Made by ``python bench/views.py --module`` on 2026-12-01 from 64 renders (``bench/view_scenarios.py``:
two set-ups, azimuths every 15°); do not edit by hand. Keys: exercise → degrees off side-on
(+ towards the front, − towards the back) → angle → estimate (``2d`` image angles, ``world`` 3D
world landmarks, ``mean`` of the two) → error in degrees, the worse of the two
set-ups. Renders are one body shape without clothes: real errors are larger.
"""

Table = dict[str, dict[int, dict[str, dict[str, float]]]]
# mean absolute error
MAE: Table = {
 "glute_bridge": {
  -75: {
   "hip": {
    "2d": 48.4,
    "mean": 26.8,
    "world": 24.0
   },
   "knee": {
    "2d": 65.7,
    "mean": 53.7,
    "world": 74.0
   },
   "pitch": {
    "2d": 141.7,
    "mean": 96.7,
    "world": 59.6
   },
   "trunk": {
    "2d": 54.9,
    "mean": 43.6,
    "world": 32.3
   }
  },
  -60: {
   "hip": {
    "2d": 31.2,
    "mean": 13.7,
    "world": 22.3
   },
   "knee": {
    "2d": 50.1,
    "mean": 35.7,
    "world": 21.3
   },
   "pitch": {
    "2d": 42.4,
    "mean": 35.8,
    "world": 29.2
   },
   "trunk": {
    "2d": 42.4,
    "mean": 35.7,
    "world": 29.0
   }
  },
  -45: {
   "hip": {
    "2d": 24.0,
    "mean": 10.1,
    "world": 7.1
   },
   "knee": {
    "2d": 39.7,
    "mean": 29.4,
    "world": 19.0
   },
   "pitch": {
    "2d": 30.5,
    "mean": 26.8,
    "world": 23.1
   },
   "trunk": {
    "2d": 30.5,
    "mean": 26.6,
    "world": 22.8
   }
  },
  -30: {
   "hip": {
    "2d": 16.4,
    "mean": 8.2,
    "world": 8.5
   },
   "knee": {
    "2d": 24.7,
    "mean": 24.4,
    "world": 24.3
   },
   "pitch": {
    "2d": 18.6,
    "mean": 18.0,
    "world": 17.4
   },
   "trunk": {
    "2d": 18.6,
    "mean": 17.5,
    "world": 16.5
   }
  },
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
  },
  30: {
   "hip": {
    "2d": 5.0,
    "mean": 5.2,
    "world": 8.1
   },
   "knee": {
    "2d": 9.5,
    "mean": 5.4,
    "world": 8.9
   },
   "pitch": {
    "2d": 11.9,
    "mean": 11.4,
    "world": 10.9
   },
   "trunk": {
    "2d": 11.9,
    "mean": 11.4,
    "world": 10.9
   }
  },
  45: {
   "hip": {
    "2d": 22.9,
    "mean": 17.9,
    "world": 13.7
   },
   "knee": {
    "2d": 32.1,
    "mean": 28.5,
    "world": 25.0
   },
   "pitch": {
    "2d": 14.1,
    "mean": 11.9,
    "world": 9.8
   },
   "trunk": {
    "2d": 14.1,
    "mean": 11.9,
    "world": 9.8
   }
  },
  60: {
   "hip": {
    "2d": 100.9,
    "mean": 39.6,
    "world": 120.3
   },
   "knee": {
    "2d": 82.1,
    "mean": 78.4,
    "world": 74.8
   },
   "pitch": {
    "2d": 254.2,
    "mean": 156.6,
    "world": 94.4
   },
   "trunk": {
    "2d": 42.5,
    "mean": 30.0,
    "world": 17.4
   }
  },
  75: {
   "hip": {
    "2d": 107.5,
    "mean": 61.2,
    "world": 152.6
   },
   "knee": {
    "2d": 82.0,
    "mean": 75.7,
    "world": 69.4
   },
   "pitch": {
    "2d": 207.8,
    "mean": 164.9,
    "world": 172.7
   },
   "trunk": {
    "2d": 38.7,
    "mean": 36.1,
    "world": 33.5
   }
  }
 },
 "hip_hinge": {
  -75: {
   "hip": {
    "2d": 37.6,
    "mean": 33.5,
    "world": 30.4
   },
   "knee": {
    "2d": 13.1,
    "mean": 8.7,
    "world": 10.2
   },
   "pitch": {
    "2d": 18.2,
    "mean": 20.1,
    "world": 22.1
   },
   "trunk": {
    "2d": 18.0,
    "mean": 16.9,
    "world": 16.3
   }
  },
  -60: {
   "hip": {
    "2d": 15.0,
    "mean": 15.9,
    "world": 16.8
   },
   "knee": {
    "2d": 8.3,
    "mean": 6.2,
    "world": 8.4
   },
   "pitch": {
    "2d": 12.8,
    "mean": 14.9,
    "world": 17.0
   },
   "trunk": {
    "2d": 12.7,
    "mean": 12.6,
    "world": 12.8
   }
  },
  -45: {
   "hip": {
    "2d": 8.9,
    "mean": 9.2,
    "world": 9.7
   },
   "knee": {
    "2d": 5.0,
    "mean": 5.0,
    "world": 7.7
   },
   "pitch": {
    "2d": 7.9,
    "mean": 9.2,
    "world": 10.8
   },
   "trunk": {
    "2d": 7.9,
    "mean": 8.1,
    "world": 8.6
   }
  },
  -30: {
   "hip": {
    "2d": 6.1,
    "mean": 5.4,
    "world": 5.8
   },
   "knee": {
    "2d": 3.5,
    "mean": 3.3,
    "world": 5.4
   },
   "pitch": {
    "2d": 4.9,
    "mean": 4.5,
    "world": 4.6
   },
   "trunk": {
    "2d": 4.8,
    "mean": 4.6,
    "world": 4.8
   }
  },
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
  },
  30: {
   "hip": {
    "2d": 12.4,
    "mean": 7.8,
    "world": 6.0
   },
   "knee": {
    "2d": 5.6,
    "mean": 4.5,
    "world": 7.2
   },
   "pitch": {
    "2d": 5.5,
    "mean": 4.1,
    "world": 6.8
   },
   "trunk": {
    "2d": 4.8,
    "mean": 4.5,
    "world": 9.2
   }
  },
  45: {
   "hip": {
    "2d": 20.2,
    "mean": 13.8,
    "world": 8.7
   },
   "knee": {
    "2d": 8.3,
    "mean": 6.8,
    "world": 10.4
   },
   "pitch": {
    "2d": 7.7,
    "mean": 5.8,
    "world": 8.9
   },
   "trunk": {
    "2d": 7.6,
    "mean": 5.1,
    "world": 10.3
   }
  },
  60: {
   "hip": {
    "2d": 29.6,
    "mean": 19.0,
    "world": 11.5
   },
   "knee": {
    "2d": 11.2,
    "mean": 9.2,
    "world": 15.1
   },
   "pitch": {
    "2d": 12.2,
    "mean": 8.5,
    "world": 11.0
   },
   "trunk": {
    "2d": 11.9,
    "mean": 7.8,
    "world": 11.4
   }
  },
  75: {
   "hip": {
    "2d": 40.5,
    "mean": 25.6,
    "world": 12.3
   },
   "knee": {
    "2d": 13.7,
    "mean": 11.3,
    "world": 25.4
   },
   "pitch": {
    "2d": 19.0,
    "mean": 12.6,
    "world": 15.0
   },
   "trunk": {
    "2d": 18.3,
    "mean": 11.6,
    "world": 14.4
   }
  }
 },
 "standing_glute_kickback": {
  -75: {
   "abduction": {
    "world": 7.9
   },
   "hip": {
    "2d": 23.3,
    "mean": 14.9,
    "world": 16.1
   },
   "knee": {
    "2d": 12.0,
    "mean": 9.7,
    "world": 8.6
   },
   "pitch": {
    "2d": 9.2,
    "mean": 7.1,
    "world": 5.4
   },
   "trunk": {
    "2d": 9.2,
    "mean": 7.1,
    "world": 5.1
   }
  },
  -60: {
   "abduction": {
    "world": 8.5
   },
   "hip": {
    "2d": 22.2,
    "mean": 18.9,
    "world": 18.6
   },
   "knee": {
    "2d": 9.9,
    "mean": 10.1,
    "world": 11.2
   },
   "pitch": {
    "2d": 6.5,
    "mean": 7.6,
    "world": 8.7
   },
   "trunk": {
    "2d": 6.5,
    "mean": 6.2,
    "world": 5.9
   }
  },
  -45: {
   "abduction": {
    "world": 10.1
   },
   "hip": {
    "2d": 17.6,
    "mean": 16.3,
    "world": 16.0
   },
   "knee": {
    "2d": 6.6,
    "mean": 7.3,
    "world": 9.3
   },
   "pitch": {
    "2d": 4.1,
    "mean": 5.3,
    "world": 6.5
   },
   "trunk": {
    "2d": 4.1,
    "mean": 3.5,
    "world": 3.2
   }
  },
  -30: {
   "abduction": {
    "world": 11.3
   },
   "hip": {
    "2d": 14.1,
    "mean": 14.6,
    "world": 15.2
   },
   "knee": {
    "2d": 4.7,
    "mean": 5.9,
    "world": 7.7
   },
   "pitch": {
    "2d": 1.7,
    "mean": 2.2,
    "world": 3.1
   },
   "trunk": {
    "2d": 1.7,
    "mean": 1.7,
    "world": 2.0
   }
  },
  -15: {
   "abduction": {
    "world": 13.0
   },
   "hip": {
    "2d": 8.7,
    "mean": 10.7,
    "world": 13.1
   },
   "knee": {
    "2d": 4.3,
    "mean": 6.0,
    "world": 8.2
   },
   "pitch": {
    "2d": 1.2,
    "mean": 1.7,
    "world": 2.3
   },
   "trunk": {
    "2d": 1.2,
    "mean": 3.1,
    "world": 5.3
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
    "world": 10.3
   },
   "hip": {
    "2d": 4.8,
    "mean": 6.5,
    "world": 11.7
   },
   "knee": {
    "2d": 4.8,
    "mean": 6.1,
    "world": 7.9
   },
   "pitch": {
    "2d": 2.0,
    "mean": 4.5,
    "world": 7.3
   },
   "trunk": {
    "2d": 2.0,
    "mean": 5.9,
    "world": 10.0
   }
  },
  30: {
   "abduction": {
    "world": 11.5
   },
   "hip": {
    "2d": 10.4,
    "mean": 6.6,
    "world": 9.9
   },
   "knee": {
    "2d": 6.2,
    "mean": 6.3,
    "world": 7.7
   },
   "pitch": {
    "2d": 3.5,
    "mean": 4.2,
    "world": 9.5
   },
   "trunk": {
    "2d": 3.5,
    "mean": 5.8,
    "world": 12.5
   }
  },
  45: {
   "abduction": {
    "world": 12.5
   },
   "hip": {
    "2d": 17.1,
    "mean": 10.2,
    "world": 10.5
   },
   "knee": {
    "2d": 15.3,
    "mean": 12.9,
    "world": 13.1
   },
   "pitch": {
    "2d": 6.3,
    "mean": 4.7,
    "world": 11.8
   },
   "trunk": {
    "2d": 6.2,
    "mean": 5.4,
    "world": 14.5
   }
  },
  60: {
   "abduction": {
    "world": 12.1
   },
   "hip": {
    "2d": 24.1,
    "mean": 13.7,
    "world": 14.9
   },
   "knee": {
    "2d": 16.0,
    "mean": 15.4,
    "world": 25.5
   },
   "pitch": {
    "2d": 8.8,
    "mean": 5.5,
    "world": 10.4
   },
   "trunk": {
    "2d": 8.7,
    "mean": 5.4,
    "world": 11.5
   }
  },
  75: {
   "abduction": {
    "world": 10.3
   },
   "hip": {
    "2d": 22.1,
    "mean": 21.7,
    "world": 25.3
   },
   "knee": {
    "2d": 11.8,
    "mean": 12.1,
    "world": 33.3
   },
   "pitch": {
    "2d": 10.8,
    "mean": 4.1,
    "world": 4.5
   },
   "trunk": {
    "2d": 9.8,
    "mean": 3.7,
    "world": 4.5
   }
  }
 }
}

# error once each clip's own bias is taken off (rules measured from the start position)
SPREAD: Table = {
 "glute_bridge": {
  -75: {
   "hip": {
    "2d": 48.9,
    "mean": 26.0,
    "world": 15.7
   },
   "knee": {
    "2d": 25.8,
    "mean": 14.3,
    "world": 8.6
   },
   "pitch": {
    "2d": 123.7,
    "mean": 75.3,
    "world": 81.4
   },
   "trunk": {
    "2d": 13.8,
    "mean": 10.9,
    "world": 8.3
   }
  },
  -60: {
   "hip": {
    "2d": 7.5,
    "mean": 6.2,
    "world": 5.4
   },
   "knee": {
    "2d": 4.0,
    "mean": 5.8,
    "world": 9.5
   },
   "pitch": {
    "2d": 3.7,
    "mean": 4.5,
    "world": 5.8
   },
   "trunk": {
    "2d": 3.7,
    "mean": 3.1,
    "world": 2.6
   }
  },
  -45: {
   "hip": {
    "2d": 6.4,
    "mean": 6.6,
    "world": 6.8
   },
   "knee": {
    "2d": 2.8,
    "mean": 4.7,
    "world": 7.4
   },
   "pitch": {
    "2d": 3.1,
    "mean": 2.6,
    "world": 2.1
   },
   "trunk": {
    "2d": 3.1,
    "mean": 2.7,
    "world": 2.2
   }
  },
  -30: {
   "hip": {
    "2d": 5.9,
    "mean": 7.1,
    "world": 8.4
   },
   "knee": {
    "2d": 3.8,
    "mean": 9.0,
    "world": 14.4
   },
   "pitch": {
    "2d": 2.6,
    "mean": 1.9,
    "world": 1.3
   },
   "trunk": {
    "2d": 2.6,
    "mean": 2.1,
    "world": 1.6
   }
  },
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
  },
  30: {
   "hip": {
    "2d": 4.7,
    "mean": 5.5,
    "world": 8.0
   },
   "knee": {
    "2d": 3.9,
    "mean": 3.0,
    "world": 4.6
   },
   "pitch": {
    "2d": 4.9,
    "mean": 3.5,
    "world": 2.7
   },
   "trunk": {
    "2d": 4.9,
    "mean": 3.4,
    "world": 2.7
   }
  },
  45: {
   "hip": {
    "2d": 16.5,
    "mean": 14.5,
    "world": 12.8
   },
   "knee": {
    "2d": 18.4,
    "mean": 17.3,
    "world": 16.5
   },
   "pitch": {
    "2d": 4.6,
    "mean": 4.3,
    "world": 4.3
   },
   "trunk": {
    "2d": 4.6,
    "mean": 4.3,
    "world": 4.3
   }
  },
  60: {
   "hip": {
    "2d": 23.2,
    "mean": 42.9,
    "world": 87.3
   },
   "knee": {
    "2d": 19.0,
    "mean": 13.3,
    "world": 12.6
   },
   "pitch": {
    "2d": 10.8,
    "mean": 55.5,
    "world": 114.0
   },
   "trunk": {
    "2d": 9.4,
    "mean": 9.5,
    "world": 11.5
   }
  },
  75: {
   "hip": {
    "2d": 72.4,
    "mean": 50.5,
    "world": 46.7
   },
   "knee": {
    "2d": 11.0,
    "mean": 10.9,
    "world": 12.2
   },
   "pitch": {
    "2d": 91.9,
    "mean": 73.8,
    "world": 67.2
   },
   "trunk": {
    "2d": 8.8,
    "mean": 8.8,
    "world": 9.0
   }
  }
 },
 "hip_hinge": {
  -75: {
   "hip": {
    "2d": 22.5,
    "mean": 24.1,
    "world": 26.0
   },
   "knee": {
    "2d": 8.4,
    "mean": 8.7,
    "world": 9.5
   },
   "pitch": {
    "2d": 14.7,
    "mean": 14.9,
    "world": 15.2
   },
   "trunk": {
    "2d": 14.2,
    "mean": 14.1,
    "world": 14.1
   }
  },
  -60: {
   "hip": {
    "2d": 14.9,
    "mean": 15.5,
    "world": 16.2
   },
   "knee": {
    "2d": 5.0,
    "mean": 6.5,
    "world": 8.4
   },
   "pitch": {
    "2d": 10.7,
    "mean": 10.6,
    "world": 10.7
   },
   "trunk": {
    "2d": 10.1,
    "mean": 10.7,
    "world": 11.4
   }
  },
  -45: {
   "hip": {
    "2d": 8.9,
    "mean": 9.2,
    "world": 9.7
   },
   "knee": {
    "2d": 3.1,
    "mean": 5.2,
    "world": 7.9
   },
   "pitch": {
    "2d": 7.0,
    "mean": 6.6,
    "world": 6.2
   },
   "trunk": {
    "2d": 6.5,
    "mean": 7.1,
    "world": 7.8
   }
  },
  -30: {
   "hip": {
    "2d": 5.8,
    "mean": 5.2,
    "world": 5.2
   },
   "knee": {
    "2d": 2.9,
    "mean": 3.5,
    "world": 5.0
   },
   "pitch": {
    "2d": 4.5,
    "mean": 4.0,
    "world": 3.5
   },
   "trunk": {
    "2d": 4.5,
    "mean": 4.5,
    "world": 4.8
   }
  },
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
  },
  30: {
   "hip": {
    "2d": 7.0,
    "mean": 5.9,
    "world": 5.8
   },
   "knee": {
    "2d": 2.9,
    "mean": 3.9,
    "world": 5.8
   },
   "pitch": {
    "2d": 4.0,
    "mean": 2.7,
    "world": 1.7
   },
   "trunk": {
    "2d": 4.8,
    "mean": 3.5,
    "world": 3.0
   }
  },
  45: {
   "hip": {
    "2d": 9.7,
    "mean": 8.5,
    "world": 7.5
   },
   "knee": {
    "2d": 4.8,
    "mean": 6.9,
    "world": 9.6
   },
   "pitch": {
    "2d": 5.5,
    "mean": 3.3,
    "world": 1.8
   },
   "trunk": {
    "2d": 5.6,
    "mean": 3.7,
    "world": 2.3
   }
  },
  60: {
   "hip": {
    "2d": 15.8,
    "mean": 12.5,
    "world": 9.9
   },
   "knee": {
    "2d": 6.3,
    "mean": 9.1,
    "world": 12.4
   },
   "pitch": {
    "2d": 8.6,
    "mean": 5.0,
    "world": 3.7
   },
   "trunk": {
    "2d": 8.5,
    "mean": 4.8,
    "world": 3.3
   }
  },
  75: {
   "hip": {
    "2d": 26.2,
    "mean": 17.7,
    "world": 10.3
   },
   "knee": {
    "2d": 9.1,
    "mean": 9.8,
    "world": 11.4
   },
   "pitch": {
    "2d": 14.5,
    "mean": 7.6,
    "world": 6.0
   },
   "trunk": {
    "2d": 14.6,
    "mean": 8.3,
    "world": 6.4
   }
  }
 },
 "standing_glute_kickback": {
  -75: {
   "abduction": {
    "world": 3.7
   },
   "hip": {
    "2d": 19.5,
    "mean": 15.0,
    "world": 15.0
   },
   "knee": {
    "2d": 8.3,
    "mean": 8.2,
    "world": 8.1
   },
   "pitch": {
    "2d": 1.9,
    "mean": 1.9,
    "world": 2.5
   },
   "trunk": {
    "2d": 1.8,
    "mean": 1.9,
    "world": 2.4
   }
  },
  -60: {
   "abduction": {
    "world": 6.1
   },
   "hip": {
    "2d": 18.5,
    "mean": 16.5,
    "world": 14.8
   },
   "knee": {
    "2d": 6.7,
    "mean": 8.1,
    "world": 9.9
   },
   "pitch": {
    "2d": 1.5,
    "mean": 1.5,
    "world": 2.2
   },
   "trunk": {
    "2d": 1.5,
    "mean": 2.0,
    "world": 2.5
   }
  },
  -45: {
   "abduction": {
    "world": 5.8
   },
   "hip": {
    "2d": 13.4,
    "mean": 13.6,
    "world": 14.0
   },
   "knee": {
    "2d": 4.4,
    "mean": 6.4,
    "world": 8.9
   },
   "pitch": {
    "2d": 1.3,
    "mean": 1.2,
    "world": 1.8
   },
   "trunk": {
    "2d": 1.3,
    "mean": 1.9,
    "world": 2.6
   }
  },
  -30: {
   "abduction": {
    "world": 5.8
   },
   "hip": {
    "2d": 11.4,
    "mean": 12.5,
    "world": 13.8
   },
   "knee": {
    "2d": 3.8,
    "mean": 5.1,
    "world": 7.3
   },
   "pitch": {
    "2d": 0.9,
    "mean": 0.7,
    "world": 1.0
   },
   "trunk": {
    "2d": 0.9,
    "mean": 1.5,
    "world": 2.2
   }
  },
  -15: {
   "abduction": {
    "world": 7.8
   },
   "hip": {
    "2d": 8.5,
    "mean": 9.9,
    "world": 11.4
   },
   "knee": {
    "2d": 3.6,
    "mean": 5.4,
    "world": 7.9
   },
   "pitch": {
    "2d": 0.9,
    "mean": 0.7,
    "world": 0.9
   },
   "trunk": {
    "2d": 0.9,
    "mean": 1.1,
    "world": 1.5
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
    "world": 8.0
   },
   "hip": {
    "2d": 4.5,
    "mean": 6.4,
    "world": 9.6
   },
   "knee": {
    "2d": 4.7,
    "mean": 6.1,
    "world": 7.8
   },
   "pitch": {
    "2d": 1.0,
    "mean": 0.9,
    "world": 1.0
   },
   "trunk": {
    "2d": 1.0,
    "mean": 1.6,
    "world": 2.6
   }
  },
  30: {
   "abduction": {
    "world": 6.1
   },
   "hip": {
    "2d": 7.5,
    "mean": 6.4,
    "world": 9.0
   },
   "knee": {
    "2d": 6.3,
    "mean": 6.1,
    "world": 7.7
   },
   "pitch": {
    "2d": 1.2,
    "mean": 0.8,
    "world": 1.3
   },
   "trunk": {
    "2d": 1.2,
    "mean": 1.2,
    "world": 2.6
   }
  },
  45: {
   "abduction": {
    "world": 6.5
   },
   "hip": {
    "2d": 12.8,
    "mean": 10.2,
    "world": 10.6
   },
   "knee": {
    "2d": 18.1,
    "mean": 14.2,
    "world": 10.8
   },
   "pitch": {
    "2d": 1.7,
    "mean": 1.2,
    "world": 2.2
   },
   "trunk": {
    "2d": 1.8,
    "mean": 1.4,
    "world": 2.5
   }
  },
  60: {
   "abduction": {
    "world": 7.5
   },
   "hip": {
    "2d": 16.6,
    "mean": 13.6,
    "world": 13.9
   },
   "knee": {
    "2d": 17.3,
    "mean": 14.1,
    "world": 12.6
   },
   "pitch": {
    "2d": 2.0,
    "mean": 1.5,
    "world": 3.0
   },
   "trunk": {
    "2d": 2.1,
    "mean": 1.6,
    "world": 3.2
   }
  },
  75: {
   "abduction": {
    "world": 4.8
   },
   "hip": {
    "2d": 22.2,
    "mean": 20.8,
    "world": 21.0
   },
   "knee": {
    "2d": 7.9,
    "mean": 10.7,
    "world": 15.6
   },
   "pitch": {
    "2d": 2.5,
    "mean": 1.9,
    "world": 3.9
   },
   "trunk": {
    "2d": 2.3,
    "mean": 2.0,
    "world": 3.8
   }
  }
 }
}

# mean error (estimate − truth) over the set-ups
BIAS: Table = {
 "glute_bridge": {
  -75: {
   "hip": {
    "2d": -16.9,
    "mean": -10.8,
    "world": -6.6
   },
   "knee": {
    "2d": 16.9,
    "mean": -9.6,
    "world": -35.7
   },
   "pitch": {
    "2d": 24.2,
    "mean": 12.0,
    "world": 2.4
   },
   "trunk": {
    "2d": 38.2,
    "mean": 28.9,
    "world": 19.6
   }
  },
  -60: {
   "hip": {
    "2d": -25.9,
    "mean": -6.3,
    "world": 13.2
   },
   "knee": {
    "2d": 48.9,
    "mean": 32.8,
    "world": 16.7
   },
   "pitch": {
    "2d": -34.6,
    "mean": -26.1,
    "world": -17.6
   },
   "trunk": {
    "2d": 34.6,
    "mean": 26.5,
    "world": 18.4
   }
  },
  -45: {
   "hip": {
    "2d": -20.3,
    "mean": -9.6,
    "world": 1.2
   },
   "knee": {
    "2d": 37.3,
    "mean": 26.4,
    "world": 15.5
   },
   "pitch": {
    "2d": -25.8,
    "mean": -21.9,
    "world": -18.0
   },
   "trunk": {
    "2d": 25.8,
    "mean": 21.8,
    "world": 17.8
   }
  },
  -30: {
   "hip": {
    "2d": -12.8,
    "mean": -5.6,
    "world": 1.5
   },
   "knee": {
    "2d": 23.1,
    "mean": 22.1,
    "world": 21.2
   },
   "pitch": {
    "2d": -15.3,
    "mean": -14.3,
    "world": -13.4
   },
   "trunk": {
    "2d": 15.3,
    "mean": 14.0,
    "world": 12.8
   }
  },
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
  },
  30: {
   "hip": {
    "2d": -2.1,
    "mean": 1.1,
    "world": 4.4
   },
   "knee": {
    "2d": -5.0,
    "mean": -0.4,
    "world": 4.2
   },
   "pitch": {
    "2d": 7.1,
    "mean": 6.9,
    "world": 6.6
   },
   "trunk": {
    "2d": -7.1,
    "mean": -6.9,
    "world": -6.6
   }
  },
  45: {
   "hip": {
    "2d": -8.6,
    "mean": -5.6,
    "world": -2.7
   },
   "knee": {
    "2d": -14.5,
    "mean": -11.2,
    "world": -7.9
   },
   "pitch": {
    "2d": 11.8,
    "mean": 10.7,
    "world": 9.5
   },
   "trunk": {
    "2d": -11.8,
    "mean": -10.7,
    "world": -9.6
   }
  },
  60: {
   "hip": {
    "2d": 25.9,
    "mean": -4.3,
    "world": -36.6
   },
   "knee": {
    "2d": -68.1,
    "mean": -61.4,
    "world": -54.7
   },
   "pitch": {
    "2d": 129.3,
    "mean": 88.9,
    "world": 50.2
   },
   "trunk": {
    "2d": 15.8,
    "mean": 9.2,
    "world": 2.7
   }
  },
  75: {
   "hip": {
    "2d": 51.6,
    "mean": -29.2,
    "world": -83.8
   },
   "knee": {
    "2d": -73.7,
    "mean": -69.4,
    "world": -65.2
   },
   "pitch": {
    "2d": 181.7,
    "mean": 94.2,
    "world": 38.0
   },
   "trunk": {
    "2d": 21.0,
    "mean": 18.5,
    "world": 16.1
   }
  }
 },
 "hip_hinge": {
  -75: {
   "hip": {
    "2d": -26.6,
    "mean": -24.5,
    "world": -22.4
   },
   "knee": {
    "2d": -12.6,
    "mean": -5.5,
    "world": 1.6
   },
   "pitch": {
    "2d": -17.3,
    "mean": -16.3,
    "world": -15.3
   },
   "trunk": {
    "2d": -17.9,
    "mean": -15.0,
    "world": -12.1
   }
  },
  -60: {
   "hip": {
    "2d": -7.4,
    "mean": -7.8,
    "world": -8.3
   },
   "knee": {
    "2d": -8.1,
    "mean": -5.0,
    "world": -2.0
   },
   "pitch": {
    "2d": -11.1,
    "mean": -11.5,
    "world": -11.9
   },
   "trunk": {
    "2d": -11.7,
    "mean": -10.3,
    "world": -8.9
   }
  },
  -45: {
   "hip": {
    "2d": -1.9,
    "mean": -2.3,
    "world": -2.7
   },
   "knee": {
    "2d": -4.3,
    "mean": -3.2,
    "world": -2.1
   },
   "pitch": {
    "2d": -6.1,
    "mean": -6.8,
    "world": -7.6
   },
   "trunk": {
    "2d": -6.6,
    "mean": -5.7,
    "world": -4.8
   }
  },
  -30: {
   "hip": {
    "2d": -0.6,
    "mean": 0.5,
    "world": 1.5
   },
   "knee": {
    "2d": -0.8,
    "mean": -0.2,
    "world": 0.4
   },
   "pitch": {
    "2d": -3.2,
    "mean": -3.3,
    "world": -3.3
   },
   "trunk": {
    "2d": -3.2,
    "mean": -2.0,
    "world": -0.8
   }
  },
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
  },
  30: {
   "hip": {
    "2d": -11.2,
    "mean": -5.4,
    "world": 0.4
   },
   "knee": {
    "2d": -5.0,
    "mean": -2.2,
    "world": 0.6
   },
   "pitch": {
    "2d": -3.9,
    "mean": -0.9,
    "world": 2.1
   },
   "trunk": {
    "2d": -2.8,
    "mean": 0.7,
    "world": 4.1
   }
  },
  45: {
   "hip": {
    "2d": -18.8,
    "mean": -10.2,
    "world": -1.7
   },
   "knee": {
    "2d": -8.1,
    "mean": -2.4,
    "world": 3.3
   },
   "pitch": {
    "2d": -6.2,
    "mean": -1.7,
    "world": 2.7
   },
   "trunk": {
    "2d": -5.2,
    "mean": -0.6,
    "world": 4.0
   }
  },
  60: {
   "hip": {
    "2d": -28.3,
    "mean": -14.9,
    "world": -1.6
   },
   "knee": {
    "2d": -11.0,
    "mean": -0.7,
    "world": 9.5
   },
   "pitch": {
    "2d": -10.1,
    "mean": -3.3,
    "world": 3.6
   },
   "trunk": {
    "2d": -9.7,
    "mean": -2.9,
    "world": 3.9
   }
  },
  75: {
   "hip": {
    "2d": -26.4,
    "mean": -14.3,
    "world": -2.1
   },
   "knee": {
    "2d": -12.9,
    "mean": 3.7,
    "world": 20.2
   },
   "pitch": {
    "2d": -17.1,
    "mean": -6.1,
    "world": 5.0
   },
   "trunk": {
    "2d": -17.3,
    "mean": -6.1,
    "world": 5.2
   }
  }
 },
 "standing_glute_kickback": {
  -75: {
   "abduction": {
    "world": 7.9
   },
   "hip": {
    "2d": -9.2,
    "mean": -0.2,
    "world": 7.8
   },
   "knee": {
    "2d": -11.9,
    "mean": -7.9,
    "world": -3.9
   },
   "pitch": {
    "2d": -9.2,
    "mean": -7.1,
    "world": -5.4
   },
   "trunk": {
    "2d": -9.2,
    "mean": -7.1,
    "world": -5.1
   }
  },
  -60: {
   "abduction": {
    "world": -0.2
   },
   "hip": {
    "2d": -1.3,
    "mean": 3.3,
    "world": 7.9
   },
   "knee": {
    "2d": -9.5,
    "mean": -7.5,
    "world": -5.4
   },
   "pitch": {
    "2d": -6.5,
    "mean": -6.5,
    "world": -6.4
   },
   "trunk": {
    "2d": -6.5,
    "mean": -5.6,
    "world": -4.7
   }
  },
  -45: {
   "abduction": {
    "world": -5.2
   },
   "hip": {
    "2d": -1.3,
    "mean": 1.0,
    "world": 3.3
   },
   "knee": {
    "2d": -6.0,
    "mean": -5.1,
    "world": -4.2
   },
   "pitch": {
    "2d": -3.9,
    "mean": -4.4,
    "world": -4.9
   },
   "trunk": {
    "2d": -3.9,
    "mean": -3.2,
    "world": -2.6
   }
  },
  -30: {
   "abduction": {
    "world": -7.7
   },
   "hip": {
    "2d": 0.3,
    "mean": 1.6,
    "world": 3.0
   },
   "knee": {
    "2d": -3.4,
    "mean": -3.4,
    "world": -3.5
   },
   "pitch": {
    "2d": -1.5,
    "mean": -2.1,
    "world": -2.7
   },
   "trunk": {
    "2d": -1.5,
    "mean": -1.0,
    "world": -0.6
   }
  },
  -15: {
   "abduction": {
    "world": -7.5
   },
   "hip": {
    "2d": -0.4,
    "mean": 0.9,
    "world": 2.2
   },
   "knee": {
    "2d": -2.8,
    "mean": -3.5,
    "world": -4.3
   },
   "pitch": {
    "2d": -0.1,
    "mean": 0.1,
    "world": 0.3
   },
   "trunk": {
    "2d": -0.1,
    "mean": 1.4,
    "world": 2.8
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
    "world": -5.4
   },
   "hip": {
    "2d": -1.6,
    "mean": 0.5,
    "world": 2.6
   },
   "knee": {
    "2d": -0.6,
    "mean": -0.4,
    "world": -0.1
   },
   "pitch": {
    "2d": 0.2,
    "mean": 1.8,
    "world": 3.4
   },
   "trunk": {
    "2d": 0.2,
    "mean": 2.9,
    "world": 5.5
   }
  },
  30: {
   "abduction": {
    "world": -8.1
   },
   "hip": {
    "2d": -3.7,
    "mean": -2.3,
    "world": -1.0
   },
   "knee": {
    "2d": -1.0,
    "mean": 0.4,
    "world": 1.9
   },
   "pitch": {
    "2d": -2.2,
    "mean": 0.5,
    "world": 3.3
   },
   "trunk": {
    "2d": -2.2,
    "mean": 1.4,
    "world": 5.0
   }
  },
  45: {
   "abduction": {
    "world": -9.7
   },
   "hip": {
    "2d": -5.2,
    "mean": -2.5,
    "world": 0.2
   },
   "knee": {
    "2d": 2.0,
    "mean": 4.9,
    "world": 7.8
   },
   "pitch": {
    "2d": -5.0,
    "mean": -0.3,
    "world": 4.4
   },
   "trunk": {
    "2d": -4.9,
    "mean": 0.6,
    "world": 6.1
   }
  },
  60: {
   "abduction": {
    "world": -10.1
   },
   "hip": {
    "2d": -4.4,
    "mean": 2.1,
    "world": 8.5
   },
   "knee": {
    "2d": -0.2,
    "mean": 11.3,
    "world": 22.8
   },
   "pitch": {
    "2d": -7.8,
    "mean": -1.9,
    "world": 4.0
   },
   "trunk": {
    "2d": -7.7,
    "mean": -1.5,
    "world": 4.7
   }
  },
  75: {
   "abduction": {
    "world": -10.1
   },
   "hip": {
    "2d": 10.4,
    "mean": 16.2,
    "world": 22.0
   },
   "knee": {
    "2d": -11.7,
    "mean": 10.8,
    "world": 33.3
   },
   "pitch": {
    "2d": -10.8,
    "mean": -3.7,
    "world": 3.4
   },
   "trunk": {
    "2d": -9.8,
    "mean": -3.1,
    "world": 3.5
   }
  }
 }
}

# whether every render from this view was counted exactly
COUNTED: dict[str, dict[int, float]] = {
 "glute_bridge": {
  -75: 1.0,
  -60: 1.0,
  -45: 1.0,
  -30: 1.0,
  -15: 1.0,
  0: 1.0,
  15: 1.0,
  30: 1.0,
  45: 1.0,
  60: 0.0,
  75: 0.0
 },
 "hip_hinge": {
  -75: 0.0,
  -60: 0.0,
  -45: 1.0,
  -30: 1.0,
  -15: 1.0,
  0: 1.0,
  15: 1.0,
  30: 1.0,
  45: 1.0,
  60: 1.0,
  75: 1.0
 },
 "standing_glute_kickback": {
  -75: 1.0,
  -60: 0.0,
  -45: 1.0,
  -30: 1.0,
  -15: 1.0,
  0: 1.0,
  15: 0.0,
  30: 1.0,
  45: 0.0,
  60: 0.0,
  75: 0.0
 }
}

# the faults found on every rep they were put in, and on no clean rep, in every render from this view (counting and all faults forced on)
FAULTS_OK: dict[str, dict[int, list[str]]] = {
 "glute_bridge": {
  -75: [
   "hold_too_short",
   "insufficient_rom",
   "too_fast"
  ],
  -60: [
   "hold_too_short",
   "insufficient_rom",
   "too_fast"
  ],
  -45: [
   "hold_too_short",
   "too_fast"
  ],
  -30: [
   "hold_too_short",
   "too_fast"
  ],
  -15: [
   "hold_too_short",
   "insufficient_rom",
   "lumbar_overextension",
   "too_fast"
  ],
  0: [
   "hold_too_short",
   "insufficient_rom",
   "lumbar_overextension",
   "too_fast"
  ],
  15: [
   "hold_too_short",
   "insufficient_rom",
   "lumbar_overextension",
   "too_fast"
  ],
  30: [
   "hold_too_short",
   "insufficient_rom",
   "lumbar_overextension",
   "too_fast"
  ],
  45: [
   "hold_too_short",
   "insufficient_rom",
   "too_fast"
  ],
  60: [
   "hold_too_short",
   "insufficient_rom"
  ],
  75: [
   "hold_too_short",
   "insufficient_rom"
  ]
 },
 "hip_hinge": {
  -75: [
   "rounded_back",
   "squat_instead_of_hinge"
  ],
  -60: [
   "rounded_back",
   "squat_instead_of_hinge"
  ],
  -45: [
   "insufficient_rom",
   "rounded_back",
   "squat_instead_of_hinge"
  ],
  -30: [
   "insufficient_rom",
   "rounded_back",
   "squat_instead_of_hinge"
  ],
  -15: [
   "insufficient_rom",
   "lumbar_overextension",
   "rounded_back",
   "squat_instead_of_hinge"
  ],
  0: [
   "insufficient_rom",
   "lumbar_overextension",
   "rounded_back",
   "squat_instead_of_hinge"
  ],
  15: [
   "insufficient_rom",
   "lumbar_overextension",
   "squat_instead_of_hinge"
  ],
  30: [
   "insufficient_rom",
   "lumbar_overextension",
   "rounded_back",
   "squat_instead_of_hinge"
  ],
  45: [
   "insufficient_rom",
   "rounded_back"
  ],
  60: [
   "rounded_back"
  ],
  75: [
   "rounded_back"
  ]
 },
 "standing_glute_kickback": {
  -75: [
   "hold_too_short",
   "knee_bend"
  ],
  -60: [
   "hold_too_short"
  ],
  -45: [
   "hold_too_short"
  ],
  -30: [
   "hold_too_short",
   "insufficient_rom",
   "knee_bend"
  ],
  -15: [
   "hold_too_short",
   "insufficient_rom",
   "knee_bend",
   "lumbar_overextension"
  ],
  0: [
   "hold_too_short",
   "lumbar_overextension"
  ],
  15: [
   "hold_too_short",
   "insufficient_rom",
   "knee_bend"
  ],
  30: [
   "hold_too_short",
   "knee_bend",
   "lumbar_overextension"
  ],
  45: [
   "hold_too_short",
   "lumbar_overextension"
  ],
  60: [
   "hold_too_short"
  ],
  75: [
   "hold_too_short",
   "insufficient_rom",
   "knee_bend"
  ]
 }
}
