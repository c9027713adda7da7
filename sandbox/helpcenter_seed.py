"""The help center's categories, sections and articles, read from data/help_articles.yml.

Ids are fixed numbers in Zendesk's range (12 digits), so links to an article survive a reseed.
Dates are relative to the seed's anchor day, like the rest of the demo data.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Dict

import yaml

from .models import HelpArticle, HelpCategory, HelpSection

DATA = Path(__file__).resolve().parent / "data" / "help_articles.yml"
CATEGORY_IDS = 360001000000
SECTION_IDS = 360002000000
ARTICLE_IDS = 360003000000


def load(path: Path = DATA) -> Dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def seed_help_center(session, author_id: int, today: date) -> int:
    """Writes the help center; returns the number of articles."""
    data = load()
    locale = data["locale"]
    written = datetime.combine(today - timedelta(days=400), time(9), tzinfo=timezone.utc)
    articles = 0
    for c_index, category in enumerate(data["categories"], start=1):
        session.add(HelpCategory(
            id=CATEGORY_IDS + c_index, name=category["name"], description=category.get("description", ""),
            position=c_index, locale=locale, created_at=written, updated_at=written,
        ))
        session.flush()
        for s_index, section in enumerate(category["sections"], start=1):
            section_id = SECTION_IDS + c_index * 100 + s_index
            session.add(HelpSection(
                id=section_id, category_id=CATEGORY_IDS + c_index, name=section["name"],
                description=section.get("description", ""), position=s_index, locale=locale,
                created_at=written, updated_at=written,
            ))
            session.flush()
            for a_index, article in enumerate(section["articles"], start=1):
                articles += 1
                edited = written + timedelta(days=3 * articles)  # each article last edited on its own day
                session.add(HelpArticle(
                    id=ARTICLE_IDS + articles, section_id=section_id, author_id=author_id,
                    title=article["title"], body=article["body"].strip(), label_names=list(article.get("labels", [])),
                    position=a_index, promoted=bool(article.get("promoted", False)), locale=locale,
                    vote_sum=articles % 7, vote_count=articles % 7 + 2 * (articles % 3),  # up - down, up + down
                    created_at=written, updated_at=edited, edited_at=edited,
                ))
    return articles
