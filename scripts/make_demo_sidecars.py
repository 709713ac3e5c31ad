#!/usr/bin/env python3
"""Writes demo/images/NAME.txt beside each demo image from the manifest's human_caption column.

The sidecars are committed; run this again only after editing demo/manifest.csv.
"""
import csv
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "demo"
with open(root / "manifest.csv", newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        image = root / "images" / row["file"]
        image.with_suffix(".txt").write_text(row["human_caption"].strip() + "\n", encoding="utf-8")
