"""The monthly stocktake (月度盘点): plan, count with a barcode scanner or a filled-in sheet, recount, approve,
post the 盘盈/盘亏 adjustments — one page, its counting panel and dialogs."""
