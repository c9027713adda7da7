"""The preference model: ranks destinations and tasks for one customer from their history.

Destinations are ranked by a logistic regression over (customer, candidate place) pairs, with
features a travel agent would use: how often the customer booked and searched the place, how
recently, how popular it is overall and among customers from the same home airport, and whether it
was the last place they looked at. Tasks (book, trips, support) by a multinomial logistic
regression over the history's mix of tasks and what is pending (an upcoming trip, a recent ticket).

`evaluate` splits by time: everything before a cutoff trains, the following window is the truth,
and the model is compared with the most-popular baseline (the places most booked and searched
before the cutoff) by precision@3.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression

from .history import TASKS, Interaction

SEED = 2026
TOP_K = 3


@dataclass
class Popularity:
    overall: Counter = field(default_factory=Counter)
    by_home: Dict[str, Counter] = field(default_factory=dict)

    @classmethod
    def of(cls, histories: Dict[str, List[Interaction]], homes: Dict[str, Optional[str]], before: datetime) -> "Popularity":
        pop = cls()
        for email, items in histories.items():
            for i in items:
                if i.destination and i.at < before:
                    pop.overall[i.destination] += 1
                    pop.by_home.setdefault(homes.get(email) or "", Counter())[i.destination] += 1
        return pop

    def share(self, place: str, home: Optional[str]) -> Tuple[float, float]:
        total = sum(self.overall.values()) or 1
        local = self.by_home.get(home or "", Counter())
        return self.overall[place] / total, local[place] / (sum(local.values()) or 1)

    def top(self, k: int, exclude: Sequence[str] = ()) -> List[str]:
        return [p for p, _ in self.overall.most_common() if p not in exclude][:k]


def destination_features(history: List[Interaction], place: str, now: datetime, home: Optional[str], pop: Popularity) -> List[float]:
    booked = [i for i in history if i.destination == place and i.task == "book"]
    last = max((i.at for i in booked), default=None)
    last_destination = next((i.destination for i in reversed(history) if i.destination), None)
    overall, local = pop.share(place, home)
    return [
        math.log1p(len(booked)),
        math.exp(-(now - last).days / 120) if last else 0.0,
        1.0 if place == last_destination else 0.0,
        overall * 10,
        local * 10,
        1.0 if place == home else 0.0,
    ]


def task_features(history: List[Interaction], now: datetime) -> List[float]:
    counts = Counter(i.task for i in history)
    total = sum(counts.values()) or 1
    recent = [i for i in history if now - i.at <= timedelta(days=30)]
    last = history[-1].task if history else None
    since = {t: next(((now - i.at).days for i in reversed(history) if i.task == t), None) for t in TASKS}
    return [
        *(math.exp(-since[t] / 30) if since[t] is not None else 0.0 for t in TASKS),
        *(counts[t] / total for t in TASKS),
        *(1.0 if last == t else 0.0 for t in TASKS),
        1.0 if any(i.task == "support" for i in recent) else 0.0,
        1.0 if any(i.task == "book" for i in recent) else 0.0,
        math.log1p(len(history)),
    ]


@dataclass
class PreferenceModel:
    destinations: LogisticRegression
    tasks: LogisticRegression
    popularity: Popularity
    candidates: List[str]

    def rank_destinations(self, history: List[Interaction], now: datetime, home: Optional[str], k: int = TOP_K) -> List[str]:
        places = [p for p in self.candidates if p != home]
        places += [i.destination for i in history if i.destination and i.destination not in places and i.destination != home]
        if not places:
            return []
        scores = self.destinations.predict_proba(np.array([destination_features(history, p, now, home, self.popularity) for p in places]))[:, 1]
        order = sorted(range(len(places)), key=lambda n: (-scores[n], places[n]))
        return [places[n] for n in order[:k]]

    def rank_tasks(self, history: List[Interaction], now: datetime) -> List[str]:
        probabilities = self.tasks.predict_proba(np.array([task_features(history, now)]))[0]
        return [str(t) for _, t in sorted(zip(-probabilities, self.tasks.classes_))]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path)

    @staticmethod
    def load(path: Path) -> "PreferenceModel":
        return joblib.load(path)


def _destination_examples(histories, homes, pop, until: datetime):
    """For every search or booking before `until`: the history before it, and the place it was,
    against the 20 most popular places as the alternatives not chosen."""
    candidates = pop.top(20)
    x, y = [], []
    for email, items in histories.items():
        home = homes.get(email)
        for n, item in enumerate(items):
            if n == 0 or item.at >= until or not item.destination:
                continue
            for place in set(candidates) | {item.destination}:
                if place != home:
                    x.append(destination_features(items[:n], place, item.at, home, pop))
                    y.append(1 if place == item.destination else 0)
    return np.array(x), np.array(y)


def _task_examples(histories, until: datetime, step_days: int = 15, horizon_days: int = 60):
    """At moments every `step_days` (as a visit would come at any moment): the history so far,
    and the first thing the customer did within the next `horizon_days`."""
    x, y = [], []
    for items in histories.values():
        if not items:
            continue
        moment = items[0].at + timedelta(days=step_days)
        while moment < until:
            following = next((i for i in items if moment <= i.at < min(until, moment + timedelta(days=horizon_days))), None)
            if following is not None:
                x.append(task_features([i for i in items if i.at < moment], moment))
                y.append(following.task)
            moment += timedelta(days=step_days)
    return np.array(x), np.array(y)


def train(histories: Dict[str, List[Interaction]], homes: Dict[str, Optional[str]], until: datetime) -> PreferenceModel:
    """Learns from interactions before `until` only."""
    pop = Popularity.of(histories, homes, until)
    dest_x, dest_y = _destination_examples(histories, homes, pop, until)
    task_x, task_y = _task_examples(histories, until)
    destinations = LogisticRegression(max_iter=1000, class_weight="balanced", random_state=SEED).fit(dest_x, dest_y)
    tasks = LogisticRegression(max_iter=1000, random_state=SEED).fit(task_x, task_y)
    return PreferenceModel(destinations, tasks, pop, pop.top(40))


def evaluate(histories: Dict[str, List[Interaction]], homes: Dict[str, Optional[str]], cutoff: datetime, window_days: int = 180) -> Dict[str, float]:
    """Precision@3 (and hit rate@3) of the model and of the most-popular baseline on the window
    after `cutoff`, for every customer with a search or booking in it; task accuracy likewise."""
    model = train(histories, homes, cutoff)
    end = cutoff + timedelta(days=window_days)
    p_model, p_base, hit_model, hit_base, task_model, task_base, customers, turns = [], [], [], [], 0, 0, 0, 0
    popular_task = Counter(i.task for items in histories.values() for i in items if i.at < cutoff).most_common(1)[0][0]
    for email, items in histories.items():
        home = homes.get(email)
        before = [i for i in items if i.at < cutoff]
        after = [i for i in items if cutoff <= i.at < end]
        truth = {i.destination for i in after if i.destination}
        if truth:
            customers += 1
            ours = model.rank_destinations(before, cutoff, home)
            base = model.popularity.top(TOP_K, exclude=[home] if home else [])
            p_model.append(len(truth & set(ours)) / TOP_K)
            p_base.append(len(truth & set(base)) / TOP_K)
            hit_model.append(1.0 if truth & set(ours) else 0.0)
            hit_base.append(1.0 if truth & set(base) else 0.0)
        first = next((i for i in after if i.at < cutoff + timedelta(days=60)), None)
        if first:
            turns += 1
            task_model += model.rank_tasks(before, cutoff)[0] == first.task
            task_base += popular_task == first.task
    mean = lambda xs: round(float(np.mean(xs)), 3) if xs else 0.0  # noqa: E731
    return {
        "customers_evaluated": customers,
        "precision_at_3": mean(p_model), "baseline_precision_at_3": mean(p_base),
        "hit_rate_at_3": mean(hit_model), "baseline_hit_rate_at_3": mean(hit_base),
        "next_task_accuracy": round(task_model / max(1, turns), 3), "baseline_next_task_accuracy": round(task_base / max(1, turns), 3),
        "task_customers": turns,
    }
