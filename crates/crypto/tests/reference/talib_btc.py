"""Expected BTC feature values for crates/crypto/tests/real_data.rs, computed independently of the
project: the CSV is read with Python's csv module, the indicators by the TA-Lib C library, the
returns, volatility and drawdown by pandas.

    python -m venv /tmp/ta && /tmp/ta/bin/pip install TA-Lib==0.8.2 numpy==2.2.6 pandas==3.1.1
    /tmp/ta/bin/python crates/crypto/tests/reference/talib_btc.py ../shared/data > crates/crypto/tests/reference/talib_btc.json

Only a few dates' values are written: derived numbers, not the data set.
"""
import csv
import json
import math
import sys

import numpy as np
import pandas as pd
import talib

data_dir = sys.argv[1]
rows = list(csv.DictReader(open(f"{data_dir}/crypto/prices/coin_Bitcoin.csv", encoding="utf-8")))
days = [r["Date"][:10] for r in rows]
close = np.array([float(r["Close"]) for r in rows])
volume = np.array([float(r["Volume"]) for r in rows])
s = pd.Series(close, index=days)

macd, signal, hist = talib.MACD(close, 12, 26, 9)
upper, middle, lower = talib.BBANDS(close, 20, 2.0, 2.0, 0)
# Volume is zero (missing) for BTC's first months: OBV starts at the first day with a volume.
first_volume = int(np.argmax(volume > 0))
obv = np.full(len(close), np.nan)
obv[first_volume:] = talib.OBV(close[first_volume:], volume[first_volume:])
log_ret = np.log(s / s.shift(1))
columns = {
    "sma_7": talib.SMA(close, 7),
    "sma_50": talib.SMA(close, 50),
    "sma_200": talib.SMA(close, 200),
    "ema_12": talib.EMA(close, 12),
    "ema_26": talib.EMA(close, 26),
    "rsi_14": talib.RSI(close, 14),
    "macd": macd,
    "macd_signal": signal,
    "macd_hist": hist,
    "bb_upper": upper,
    "bb_middle": middle,
    "bb_lower": lower,
    "mom_10": talib.MOM(close, 10),
    "obv": obv,
    "ret_7": (s / s.shift(7) - 1).values,
    "log_ret_30": np.log(s / s.shift(30)).values,
    "vol_30": (log_ret.rolling(30).std(ddof=1) * math.sqrt(365)).values,
    "drawdown": (s / s.cummax() - 1).values,
}
wanted = ["2014-02-25", "2017-12-17", "2018-12-15", "2020-03-12", "2021-07-06"]
out = {
    "source": f"TA-Lib C {talib.__ta_version__.decode()} (wrapper {talib.__version__}) and pandas {pd.__version__}, on DATA_DIR/crypto/prices/coin_Bitcoin.csv (the reference data)",
    "values": {
        d: {k: float(v[days.index(d)]) for k, v in columns.items()} for d in wanted
    },
}
print(json.dumps(out, indent=1))
