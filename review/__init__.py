"""The staff review page: real conversations from the analytics tables, filtered, read turn by
turn, tagged, annotated, and exported as test stories."""
