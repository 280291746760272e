"""Subscribers: callbacks in order, and leaving while being called."""

from __future__ import annotations

from cybrelia.engine.subscribers import Subscribers


def test_events_reach_subscribers_in_order_until_they_leave() -> None:
    seen: list[tuple[str, int]] = []
    subscribers: Subscribers[int] = Subscribers()
    leave_a = subscribers.add(lambda e: seen.append(("a", e)))
    subscribers.add(lambda e: seen.append(("b", e)))
    subscribers.emit(1)
    leave_a()
    leave_a()  # leaving twice is harmless
    subscribers.emit(2)
    assert seen == [("a", 1), ("b", 1), ("b", 2)]


def test_a_callback_may_unsubscribe_while_being_called() -> None:
    seen: list[int] = []
    subscribers: Subscribers[int] = Subscribers()

    def once(event: int) -> None:
        seen.append(event)
        leave()

    leave = subscribers.add(once)
    subscribers.add(seen.append)
    subscribers.emit(1)
    subscribers.emit(2)
    assert seen == [1, 1, 2]
