"""Expected indicator values for crates/signals/tests/talib.rs, computed by the TA-Lib C library.

Run with the TA-Lib Python wrapper (which ships the C library) to regenerate talib_short.json:

    python -m venv /tmp/ta && /tmp/ta/bin/pip install TA-Lib==0.8.2 numpy==2.2.6
    /tmp/ta/bin/python crates/signals/tests/reference/talib_reference.py > crates/signals/tests/reference/talib_short.json

The input is a fixed, made-up 80-day series (no real data), bumpy enough to exercise gains,
losses, unchanged closes and volume sign flips.
"""
import json
import math

import numpy as np
import talib

n = 80
close = [round(100 + 12 * math.sin(i * 0.31) + 4 * math.cos(i * 1.7) + 0.15 * i, 4) for i in range(n)]
close[40] = close[39]  # an unchanged close
volume = [round(1000 + 300 * math.sin(i * 0.9) + 7 * i, 2) for i in range(n)]
c = np.array(close)
v = np.array(volume)


def clean(a):
    return [None if math.isnan(x) else float(x) for x in a]


macd, signal, hist = talib.MACD(c, 12, 26, 9)
upper, middle, lower = talib.BBANDS(c, 20, 2.0, 2.0, 0)
out = {
    "source": f"TA-Lib C {talib.__ta_version__.decode()} via the TA-Lib Python wrapper {talib.__version__}",
    "close": close,
    "volume": volume,
    "SMA_7": clean(talib.SMA(c, 7)),
    "SMA_20": clean(talib.SMA(c, 20)),
    "EMA_12": clean(talib.EMA(c, 12)),
    "EMA_26": clean(talib.EMA(c, 26)),
    "RSI_14": clean(talib.RSI(c, 14)),
    "MACD_line": clean(macd),
    "MACD_signal": clean(signal),
    "MACD_hist": clean(hist),
    "BB_upper": clean(upper),
    "BB_middle": clean(middle),
    "BB_lower": clean(lower),
    "OBV": clean(talib.OBV(c, v)),
    "MOM_10": clean(talib.MOM(c, 10)),
}
print(json.dumps(out, indent=1))
