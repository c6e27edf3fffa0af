"""App recipes: `apps/<name>/app.toml` read into a checked `Recipe` (see docs/recipe.md)."""

from bkport.recipe.loader import RECIPE_FILE, find_recipe, load_recipe
from bkport.recipe.model import (
    ARCH_NAMES,
    BOARD_NAMES,
    BuildSettings,
    Case,
    Configure,
    Flags,
    Mask,
    Program,
    Recipe,
    RunSettings,
    Source,
    TestSpec,
)

__all__ = [
    "ARCH_NAMES",
    "BOARD_NAMES",
    "RECIPE_FILE",
    "BuildSettings",
    "Case",
    "Configure",
    "Flags",
    "Mask",
    "Program",
    "Recipe",
    "RunSettings",
    "Source",
    "TestSpec",
    "find_recipe",
    "load_recipe",
]
