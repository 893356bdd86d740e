"""Every key of the console is declared once, described, and named (offices can remap it)."""

import pytest

from console.app import CallCenterApp
from screens.customer_card import CustomerCard
from screens.customer_form import CustomerForm
from screens.desk import DeskScreen
from screens.intake import IntakeScreen
from screens.problem_picker import ProblemCodePicker
from screens.prompts import HandOverDialog, TextPrompt
from screens.sign_in import SignInScreen

OWNERS = [CallCenterApp, SignInScreen, DeskScreen, IntakeScreen, CustomerForm, CustomerCard,
          ProblemCodePicker, TextPrompt, HandOverDialog]


@pytest.mark.parametrize("owner", OWNERS, ids=lambda owner: owner.__name__)
def test_every_binding_has_a_description_and_an_id_and_leaves_quit_and_copy_alone(owner):
    bindings = owner.__dict__.get("BINDINGS", [])
    assert bindings
    for binding in bindings:
        assert binding.description and binding.id, binding
        assert not {"ctrl+q", "ctrl+c"} & set(binding.key.split(",")), binding


def test_binding_ids_are_unique_across_the_console():
    ids = [b.id for owner in OWNERS for b in owner.__dict__.get("BINDINGS", [])]
    shared = {"dialog-cancel"}  # every dialog's escape is the same key
    assert len([i for i in ids if i not in shared]) == len({i for i in ids if i not in shared})
