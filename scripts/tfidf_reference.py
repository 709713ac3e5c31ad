#!/usr/bin/env python3
"""Writes Tests/Fixtures/tfidf/reference.json: scikit-learn TfidfVectorizer() results on the demo captions.

The Swift TF-IDF must reproduce the vocabulary, the idf weights, the analyzer's tokens and the cosine
scores of every query against every caption. Run from the repository root; needs scikit-learn.
"""
import csv
import json
import pathlib

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

root = pathlib.Path(__file__).resolve().parent.parent
with open(root / "demo" / "manifest.csv", newline="", encoding="utf-8") as handle:
    rows = [row for row in csv.DictReader(handle)]
files = [row["file"] for row in rows]
captions = [row["human_caption"].strip() for row in rows]

queries = [
    "two dogs looking out of a wooden hut",
    "beach",
    "Storm clouds over the road",
    "a mountain",
    "montain",
    "green leaf macro",
    "flowers",
    "THE SEA!!!",
    "sunset over water",
    "city at night",
    "a cat",
    "snow-covered peaks",
    "wooden planks, pale & weathered",
    "sand dune grass",
    "bird",
    "unknownword zzz",
    "dark dark dark sky",
    "close-up of a flower",
    "portrait of a woman",
    "tree in a field",
    "café ☕ über",
]

analyzer_cases = [
    "Hello, World! It's a dog's life.",
    "snake_case and CamelCase x y z 1 22 333",
    "café naïve Ünïcödé",
    "cafe\u0301 decomposed accent",
    "東京タワー 北京 서울 ok",
    "ΟΔΟΣ ΣΟΦΟΣ Σ σσ ΑΣ.",
    "İstanbul STRASSE straße ǅemal",
    "½ ² ³ ①② ٣٤ ४५ x²y",
    "emoji 🐶🐱 dog🐶cat",
    "tab\tnew\nline\u00a0nbsp\u2003em",
    "a-b c.d e/f g'h",
    "",
]

vectorizer = TfidfVectorizer()
documents = vectorizer.fit_transform(captions)
analyzer = vectorizer.build_analyzer()
vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)

reference = {
    "generator": f"scikit-learn {sklearn.__version__} TfidfVectorizer() defaults",
    "files": files,
    "captions": captions,
    "vocabulary": vocabulary,
    "idf": [float(value) for value in vectorizer.idf_],
    "analyzer": [{"text": text, "tokens": analyzer(text)} for text in analyzer_cases],
    "queries": [
        {"query": query, "scores": [float(value) for value in (documents @ vectorizer.transform([query]).T).toarray()[:, 0]]}
        for query in queries
    ],
}
out = root / "Tests" / "Fixtures" / "tfidf" / "reference.json"
out.write_text(json.dumps(reference, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {out}: {len(vocabulary)} terms, {len(captions)} captions, {len(queries)} queries")
