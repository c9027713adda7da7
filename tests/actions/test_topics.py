"""The words that say what a message is about, for matching it to a ticket."""
from actions.topics import topic_stems, topic_words


def test_topic_words_drop_the_filler_and_keep_the_subject():
    assert topic_words("hi, quick question: can I bring my dog on the plane??") == ["bring", "dog", "plane"]
    assert topic_words("what's the carry-on size") == ["carryon", "size"]
    assert topic_words("my 8 year old") == ["child"]


def test_topic_stems_add_the_help_desks_word_for_the_customers():
    assert topic_stems("my suitcase") == {"suitcas", "bag"}
