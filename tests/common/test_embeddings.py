"""Sentence embeddings from the model that ships in its package: shape, normalisation, determinism
and that meaning, not spelling, decides what is close."""
import hashlib

import numpy as np

from common import embeddings
from common.embeddings import DIMENSIONS, TOKENIZER, embed

# The all-MiniLM-L6-v2 tokenizer.json kept beside the module; a changed file changes every vector.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


def test_one_normalised_float32_row_per_text():
    vectors = embed(["flights to lisbon on friday", "i'm so fed up with this", ""])
    assert vectors.shape == (3, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_texts_give_an_empty_array():
    assert embed([]).shape == (0, DIMENSIONS)


def test_a_text_has_the_same_vector_alone_in_a_batch_and_twice():
    alone = embed(["can i bring my dog on the plane"])[0]
    batch = embed(["a much longer message about baggage fees and seat selection on long flights",
                   "can i bring my dog on the plane"])[1]
    assert np.array_equal(alone, batch) and np.array_equal(alone, embed(["can i bring my dog on the plane"])[0])


def test_meaning_decides_closeness_not_shared_words():
    pets, pets_reworded, bags = embed(["can i take my cat in the cabin", "is it ok to fly with a pet",
                                       "how much does a cabin bag cost"])
    assert pets @ pets_reworded > pets @ bags


def test_broken_unicode_from_a_browser_is_embedded_not_raised():
    assert embed(["hello \ud800 there"]).shape == (1, DIMENSIONS)


def test_the_model_runs_on_one_thread_from_files_that_shipped():
    _, session, _ = embeddings._model()
    assert session.get_session_options().intra_op_num_threads == 1
    assert hashlib.sha256(TOKENIZER.read_bytes()).hexdigest() == TOKENIZER_SHA256
