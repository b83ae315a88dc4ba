"""Writes the trade bill vectors (tradebill_*.csv.gz and their .sha1) with Python's own gzip
and hashlib, independently of paycore. Run from this folder: python3 tradebill.py"""
import gzip
import hashlib

# The ALL header of 交易账单详细说明 (format-trade); values from its field examples, a refund
# of the same order with the refund API's example ids, and the 微信云托管 下载对账单 example row.
CURRENT = "\r\n".join([
    "\ufeff交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注",
    "`2015-01-01 10:00:00,`wxab8acb865bb11234,`1234567890,`0,`casher001,"
    "`4200000008201712143733500001,`outtradeno001,`testxt08c-XB5-QD208X1Aid0Cbs,`JSAPI,`SUCCESS,"
    "`OTHERS,`CNY,`100.00,`0.00,`0,`0,`0.00,`0.00,`,`,`Image形象店-深圳腾大-QQ公仔,`,`0.60000,"
    "`0.60%,`100.00,`0.00,`",
    "`2015-01-01 11:00:00,`wxab8acb865bb11234,`1234567890,`0,`casher001,"
    "`4200000008201712143733500001,`outtradeno001,`testxt08c-XB5-QD208X1Aid0Cbs,`JSAPI,`REFUND,"
    "`OTHERS,`CNY,`0.00,`0.00,`50000000382019052709732678859,`1217752501201407033233368018,"
    "`30.00,`0.00,`ORIGINAL,`SUCCESS,`Image形象店-深圳腾大-QQ公仔,`,`-0.18000,`0.60%,`0.00,"
    "`30.00,`",
    "`2015-01-01 13:51:31,`wxfdc955f7104ad557,`180023671,`176531292,`,"
    "`420000612032130748613220688,`2021WERUN1647840687637,`oZWaCKXip5njeEiloC4oeOV1TTsk,`JSAPI,"
    "`SUCCESS,`OTHERS,`CNY,`0.01,`0.00,`0,`0,`0.00,`0.00,`,`,`微信云托管支付测试,`,`0.00000,"
    "`0.90%,`0.01,`0.00,`",
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
    "`3,`100.01,`30.00,`0.00,`0.42000,`100.01,`30.00",
    "",
])

# 下载对账单's own example, as accounts without 免充值券 still get it (总金额 layout).
LEGACY = "\n".join([
    "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
    "付款银行,货币种类,总金额,代金券或立减优惠金额,微信退款单号,商户退款单号,退款金额,"
    "代金券或立减优惠退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率",
    "`2014-11-10 16:33:45,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1001690740201411100005734289,"
    "`1415640626,`085e9858e3ba5186aafcbaed1,`MICROPAY,`SUCCESS,`OTHERS,`CNY,`0.01,`0.0,`0,`0,`0,"
    "`0,`,`,`被扫支付测试,`订单额外描述,`0,`0.60%",
    "`2014-11-10 16:46:14,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1002780740201411100005729794,"
    "`1415635270,`085e9858e90ca40c0b5aee463,`MICROPAY,`SUCCESS,`OTHERS,`CNY,`0.01,`0.0,`0,`0,`0,"
    "`0,`,`,`被扫支付测试,`订单额外描述,`0,`0.60%",
    "总交易单数,总交易额,总退款金额,总代金券或立减优惠退款金额,手续费总金额",
    "`2,`0.02,`0.0,`0.0,`0",
    "",
])

for name, text in [("tradebill_all", CURRENT), ("tradebill_legacy", LEGACY)]:
    raw = text.encode("utf-8")
    with open(f"{name}.csv.gz", "wb") as f:
        # mtime 0 and no file name: the same bytes on every run.
        f.write(gzip.compress(raw, mtime=0))
    with open(f"{name}.sha1", "w") as f:
        f.write(hashlib.sha1(raw).hexdigest() + "\n")
