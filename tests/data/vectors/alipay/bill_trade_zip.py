"""Writes bill_trade.zip: an Alipay trade bill for 2026-11-22 in the documented layout
(业务明细 and 业务明细(汇总) CSVs, GBK, padded fields, names in GBK without the UTF-8 flag),
with the summary first. Run from this directory: python3 bill_trade_zip.py"""

import zipfile

ACCOUNT = "20885212319120680156"
DAY = "20261122"
PERIOD = "#起始日期：[2026年11月22日 00:00:00]   终止日期：[2026年11月23日 00:00:00]"
EXPORTED = "#导出时间：[2026年11月23日 10:24:18]"

DETAIL_HEADER = (
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,"
    "终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,"
    "商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
    "退款批次号/请求号,服务费（元）,分润（元）,备注"
)


def row(trade_no, out_trade_no, kind, subject, created, finished, buyer, amount, request_no, fee, memo):
    # Ids and text padded with a tab, as Alipay writes them.
    return ",".join([
        trade_no + "\t", out_trade_no + "\t", kind + "\t", subject, created, finished,
        "\t", "\t", "\t", "\t", buyer + "\t", amount, amount, "0.00", "0.00", "0.00", "0.00",
        "0.00", "", "0.00\t", "0.00", request_no + "\t", fee, "0.00", memo,
    ])


detail = "\r\n".join([
    "#支付宝业务明细查询",
    f"#账号：[{ACCOUNT}]",
    PERIOD,
    "#-----------------------------------------业务明细列表----------------------------------------",
    DETAIL_HEADER,
    row("2026112222001004330000121536", "pay_01KAQ8ZB00CX2N6H4DGT5RJ3VW", "交易", "Iphone6 16G",
        "2026-11-22 12:00:00", "2026-11-22 12:00:04", "*杨(137****2600)", "10.00", "", "-0.06", ""),
    row("2026112222001004720299453898", "cd6ece976b514130977cb06048359684", "交易", "支付宝APP支付",
        "2026-11-22 23:59:58", "2026-11-22 23:59:59", "*杨(137****2600)", "20.00", "", "-0.12",
        "挂号付费-XXX医院 XX xxxxx 2026-11-23 10:30-11:00 订单编号：71676691"),
    row("2026112222001004330000121536", "pay_01KAQ8ZB00CX2N6H4DGT5RJ3VW", "退款", "Iphone6 16G",
        "2026-11-22 12:30:00", "2026-11-22 12:30:01", "*杨(137****2600)", "-3.00",
        "rfd_01KAQ8ZB00CX2N6H4DGT5RJ3VY", "0.02", "正常退款"),
    "#-----------------------------------------业务明细列表结束------------------------------------",
    "#交易合计：2笔，商家实收共30.00元，商家优惠共0.00元",
    "#退款合计：1笔，商家实收退款共-3.00元，商家优惠退款共0.00元",
    EXPORTED,
    "",
])

summary = "\r\n".join([
    "#支付宝业务汇总查询",
    f"#账号：[{ACCOUNT}]",
    PERIOD,
    "#-----------------------------------------业务汇总列表----------------------------------------",
    "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,"
    "商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）",
    "\t,\t,2,1,27.00,27.00,0.00,0.00,0.00,-0.16,0.00,26.84",
    "合计,,2,1,27.00,27.00,0.00,0.00,0.00,-0.16,0.00,26.84",
    "#-----------------------------------------业务汇总列表结束-----------------------------------",
    EXPORTED,
    "",
])

names = {
    "summary": f"{ACCOUNT}_{DAY}_业务明细(汇总).csv",
    "detail": f"{ACCOUNT}_{DAY}_业务明细.csv",
}
# zipfile writes non-ASCII names as flagged UTF-8; Alipay writes GBK without the flag. Write
# ASCII placeholders of the same length, then put the GBK bytes in their place.
placeholders = {}
with zipfile.ZipFile("bill_trade.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
    for key, text in [("summary", summary), ("detail", detail)]:
        gbk = names[key].encode("gbk")
        holder = (key.upper() + "_" * len(gbk))[: len(gbk)].encode("ascii")
        placeholders[holder] = gbk
        info = zipfile.ZipInfo(holder.decode("ascii"), date_time=(2026, 11, 23, 10, 24, 18))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode("gbk"))

data = open("bill_trade.zip", "rb").read()
for holder, gbk in placeholders.items():
    assert data.count(holder) == 2, holder
    data = data.replace(holder, gbk)
open("bill_trade.zip", "wb").write(data)

with zipfile.ZipFile("bill_trade.zip") as z:
    assert [i.flag_bits & 0x800 for i in z.infolist()] == [0, 0]
    assert [i.filename.encode("cp437").decode("gbk") for i in z.infolist()] == [names["summary"], names["detail"]]
    assert z.testzip() is None
