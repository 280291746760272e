"""The console's key bindings, in one table per screen.

The same table gives the screen's ``BINDINGS`` (with descriptions in the chosen
language, see :func:`localized`), the help screen and the command palette, so
the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar, cast

from textual.binding import Binding

from cybrelia.i18n import Texts

__all__ = [
    "ASSET_KEYS",
    "FIRST_HOUR",
    "FORM_KEYS",
    "HELP_KEYS",
    "MAIN_KEYS",
    "PARTICIPANT_KEYS",
    "PRESENTATION_KEYS",
    "SEARCH_KEYS",
    "TEAM_KEYS",
    "Key",
    "localized",
    "typed_actions",
]


@dataclass(frozen=True)
class Key:
    """A key binding: keys, the action it runs, its label (a catalogue key) and where shown."""

    keys: str
    action: str
    label: str
    display: str | None = None
    footer: bool = True
    palette: bool = True
    priority: bool = False
    #: Offered only while a text box has the keys: a key it does not type, standing in for
    #: the move's usual key, which it types (F1 for ``?``); neither in the help nor the palette.
    typing: bool = False

    def binding(self, texts: Texts) -> Binding:
        """The Textual binding, described in ``texts``' language (the short label, if any)."""
        return Binding(
            self.keys,
            self.action,
            texts.get(f"{self.label}.short", texts(self.label)),
            show=self.footer,
            key_display=self.display,
            priority=self.priority,
        )


MAIN_KEYS = (
    # Help and quit first: the footer shows what fits, and these two must always fit.
    Key("question_mark,f1", "help", "key.help", "?"),
    # While the search box has the keys it types ``?``: the footer offers F1 instead.
    Key("f1", "help_while_typing", "key.help", "F1", palette=False, typing=True),
    Key("q", "quit_console", "key.quit"),
    Key("space", "toggle_clock", "key.toggle_clock", "space"),
    # Then the moves of the first hour (the footer shows as many as fit whole).
    Key("n", "next_inject", "key.next_inject"),
    Key("d", "deliver", "key.deliver"),
    Key("a", "team_action", "key.team_action"),
    Key("r", "rate", "key.rate"),
    Key("m", "note", "key.note"),
    Key("p", "presentation", "key.presentation"),
    Key("t", "team_view", "key.team_view"),
    Key("+,=", "faster", "key.faster", "+"),
    Key("-", "slower", "key.slower", "-"),
    Key("s", "skip", "key.skip"),
    Key("u", "undeliver", "key.undeliver", footer=False),
    Key("e", "edit", "key.edit"),
    Key("i", "adhoc", "key.adhoc"),
    Key("x", "cancel_action", "key.cancel_action"),
    Key("c", "confirm_record", "key.confirm_record"),
    Key("f", "filter", "key.filter", footer=False),
    Key("/", "search", "key.search", "/", footer=False),
    Key("1", "page('infra')", "key.page_infra", footer=False, palette=False),
    Key("2", "page('injects')", "key.page_injects", footer=False, palette=False),
    Key("3", "page('figures')", "key.page_figures", footer=False, palette=False),
    Key("4", "page('teams')", "key.page_teams", footer=False, palette=False),
    Key("5", "page('feed')", "key.page_feed", footer=False, palette=False),
    Key("k", "toggle_hold", "key.toggle_hold", footer=False),
    Key("W", "wall_time", "key.wall_time", "W", footer=False),
    Key("l", "switch_language", "key.language", footer=False),
)
ASSET_KEYS = (
    Key("question_mark,f1", "help", "key.help", "?"),
    Key("q", "quit_console", "key.quit"),
    Key("escape", "close", "key.back", "esc"),
    Key("a", "team_action", "key.team_action"),
)
PRESENTATION_KEYS = (
    Key("question_mark,f1", "help", "key.help", "?"),
    Key("q", "quit_console", "key.quit"),
    Key("escape,p", "close", "key.back", "esc"),
    Key("left", "previous", "key.previous", "←", priority=True),
    Key("right", "next", "key.next", "→", priority=True),
    Key("e", "toggle_expectations", "key.toggle_expectations"),
)
TEAM_KEYS = (
    Key("question_mark,f1", "help", "key.help", "?"),
    Key("q", "quit_console", "key.quit"),
    Key("escape,t", "close", "key.back", "esc"),
    Key("left", "previous", "key.previous_team", "←", priority=True),
    Key("right", "next", "key.next_team", "→", priority=True),
)
PARTICIPANT_KEYS = (
    Key("escape,w", "close", "key.back", "esc"),
    Key("r", "revoke", "key.revoke_link"),
    Key("n", "reissue", "key.reissue_link"),
    Key("a", "accept", "key.accept_held"),
    Key("b", "send_back", "key.send_back_held"),
)
#: The asset search box's own key: Esc leaves it (Enter, Textual's submit, too).
SEARCH_KEYS = (Key("escape", "leave", "key.leave_search", "esc"),)
HELP_KEYS = (Key("escape,question_mark,f1,q", "close", "key.back", "esc"),)
FORM_KEYS = (
    Key("escape", "cancel", "key.cancel_form", "esc"),
    Key("ctrl+s", "submit", "key.submit_form", "^s", priority=True),
)

#: The moves of the first hour, which the main screen's footer always shows (on a second
#: row when one is not enough, as at 80 columns).
FIRST_HOUR = frozenset(
    {
        "help",
        "quit_console",
        "toggle_clock",
        "next_inject",
        "deliver",
        "team_action",
        "rate",
        "note",
        "presentation",
        "team_view",
    }
)

#: Key names a text box takes as typed text (besides the single characters).
TYPED_KEY_NAMES = frozenset({"space", "question_mark"})


def typed_actions(keys: tuple[Key, ...]) -> frozenset[str]:
    """The actions whose shown key (the first) a text box takes as typed text.

    While a text box has the keys, these never reach the screen, so the footer must
    not offer them (a ``+`` shown as "faster" is typed into the search instead).
    """
    return frozenset(
        key.action.split("(", 1)[0]
        for key in keys
        if len(first := key.keys.split(",", 1)[0]) == 1 or first in TYPED_KEY_NAMES
    )


S = TypeVar("S")
_CACHE: dict[tuple[type[Any], str], type[Any]] = {}


def localized(cls: type[S], keys: tuple[Key, ...], texts: Texts) -> type[S]:
    """A subclass of ``cls`` whose ``BINDINGS`` are ``keys`` described in ``texts``' language.

    Textual reads a screen's bindings from its class, so each language gets its
    own (cached) subclass; CSS written for ``cls`` applies to it unchanged.
    """
    cache_key = (cls, texts.lang)
    if cache_key not in _CACHE:
        bindings = [key.binding(texts) for key in keys]
        name = f"{cls.__name__}_{texts.lang}"
        _CACHE[cache_key] = type(name, (cls,), {"BINDINGS": bindings})
    return cast(type[S], _CACHE[cache_key])
