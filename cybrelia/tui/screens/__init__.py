"""The console's screens, one module each: main, asset, presentation, team, help, picker.

:mod:`~cybrelia.tui.screens.base` holds :class:`LiveScreen`, which every screen that
follows the exercise extends; the app imports the screens from here.
"""

from cybrelia.tui.screens.asset import AssetScreen, asset_screen
from cybrelia.tui.screens.base import LiveScreen, redraw_all
from cybrelia.tui.screens.help import HelpScreen, help_screen
from cybrelia.tui.screens.main import SPEEDS, MainScreen, main_screen
from cybrelia.tui.screens.picker import PickerScreen
from cybrelia.tui.screens.presentation import PresentationScreen
from cybrelia.tui.screens.team import TeamScreen

__all__ = [
    "SPEEDS",
    "AssetScreen",
    "HelpScreen",
    "LiveScreen",
    "MainScreen",
    "PickerScreen",
    "PresentationScreen",
    "TeamScreen",
    "asset_screen",
    "help_screen",
    "main_screen",
    "redraw_all",
]
