"""The test kit a plugin author gets (duty_tui.testing, a pytest plugin): each fixture does what
docs/plugins.md says, and nothing one test registers reaches the next."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap

import pytest

from duty_tui.hookspecs import hookimpl
from duty_tui.i18n import L
from duty_tui.registry import load_registry
from duty_tui.schema import DATE, TEXT, Field, RecordType
from duty_tui.testing import (DutyKitWarning, entry_points_besides, open_plugin_screen, open_record_list, screen_text, type_text,
                               wait_until)
from duty_tui.ui_api import ScreenSpec

pytest_plugins = ["pytester"]

# Inner sessions run in this process (fast); the snapshot plugin keeps one temp folder per
# process, which an inner session would remove under the outer one.
INNER = ("-p", "no:cacheprovider", "-p", "no:textual-snapshot", "-p", "no:benchmark", "-q")

NOTE = RecordType("kit_note", L("便签", "Note"), (Field("title", TEXT, L("题目", "Title"), required=True),
                                                   Field("date", DATE, L("日期", "Date"))), area="kit", year_field="date")


class NotePlugin:
    """A record type and a screen, registered by the tests below for one test at a time."""

    @hookimpl
    def duty_register_types(self, register):
        register(NOTE)

    @hookimpl
    def duty_register_screens(self, register):
        register(ScreenSpec("kit.notes", L("便签一览", "All notes"), "kit", self.open_notes))

    @staticmethod
    def open_notes(ui):
        from textual.screen import Screen
        from textual.widgets import Static

        class Notes(Screen):
            def compose(self):
                count = ui.ledger.count("kit_note")
                yield Static(f"{count} notes, seen by {ui.ledger.user.name} in {ui.year}")

        return Notes()


# -- registering a plugin for one test ---------------------------------------------------------


def test_a_plugin_registered_in_one_test_is_gone_in_the_next(pytester):
    """Run in this order in a session of their own: the first test registers a plugin three
    ways (duty_plugins, the marker, and through the CLI), the second sees none of it."""
    pytester.makepyfile(test_leak=textwrap.dedent('''
        import pytest
        from duty_tui.hookspecs import hookimpl
        from duty_tui.i18n import L
        from duty_tui.schema import TEXT, Field, RecordType

        class Leaky:
            @hookimpl
            def duty_register_types(self, register):
                register(RecordType("leaky", L("漏", "leaky"), (Field("title", TEXT, L("题", "title")),)))

        @pytest.fixture
        def with_leaky(duty_plugins):
            duty_plugins.append(("leaky", Leaky()))

        def test_first_registers(with_leaky, duty_admin, duty_cli):
            duty_admin.create("leaky", {"title": "x"})
            assert "leaky" in {t["name"] for t in duty_cli("types", "--json").json()}

        @pytest.mark.duty_plugin(Leaky(), name="leaky")
        def test_the_marker_registers(duty_registry):
            assert "leaky" in duty_registry.types

        def test_then_nothing_is_left(duty_registry, duty_cli):
            assert "leaky" not in duty_registry.types
            assert duty_registry.info("leaky") is None
            assert "leaky" not in {t["name"] for t in duty_cli("types", "--json").json()}
            assert duty_registry.pm.get_plugin("leaky") is None
    '''))
    result = pytester.runpytest(*INNER, "-p", "no:randomly")
    result.assert_outcomes(passed=3)


@pytest.mark.duty_plugin(NotePlugin(), name="notes")
def test_the_marker_registers_a_plugin_before_the_ledger_is_built(duty_admin, duty_registry):
    assert duty_registry.info("notes").status == "loaded" and duty_registry.info("notes").source == "test"
    assert duty_admin.create("kit_note", {"title": "记得年审"}).id == "kit_note-1"


def test_a_plugin_added_after_the_registry_was_built_is_warned_about(duty_registry, duty_plugins):
    with pytest.warns(DutyKitWarning, match="'late' was added after duty_registry was built"):
        duty_plugins.append(("late", NotePlugin()))


def fake_installed_plugin(site, module: str, source: str) -> None:
    """A distribution as importlib.metadata sees one: a module and a dist-info with a duty_tui entry point."""
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{module}-0.3.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 0.3.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[duty_tui]\n{module.removeprefix('duty_')} = {module}\n", encoding="utf-8")


@pytest.mark.duty_installed_plugins("sql", "tinydb")
@pytest.mark.duty_plugin(NotePlugin(), name="notes")
def test_a_test_can_keep_other_installed_plugins_out(duty_registry, duty_cli):
    assert [p.name for p in duty_registry.plugins] == ["directory", "county", "sql", "tinydb", "notes"]
    assert set(duty_registry.types) == {"unit", "person", "town_key", "town_copy", "kit_note"} and not duty_registry.rules
    assert [p["name"] for p in duty_cli("plugins", "--json").json()] == ["directory", "county", "sql", "tinydb", "notes"]


def test_an_installed_plugin_that_a_test_registers_too_is_loaded_once(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    fake_installed_plugin(site, "duty_kit_twice", '''
        from duty_tui.hookspecs import hookimpl
        from duty_tui.i18n import L
        from duty_tui.schema import TEXT, Field, RecordType

        @hookimpl
        def duty_register_types(register):
            register(RecordType("twice", L("二", "twice"), (Field("title", TEXT, L("题", "title")),)))
    ''')
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "duty_kit_twice", raising=False)
    import duty_kit_twice

    extra = [("kit_twice", duty_kit_twice)]
    naive = load_registry(extra=extra)
    assert [i.status for i in naive.plugins if i.name == "kit_twice"] == ["loaded", "failed"], "the trap the kit avoids"
    registry = load_registry(extra=extra, entry_points=entry_points_besides(extra))
    assert [(i.name, i.status, i.source) for i in registry.plugins if i.name == "kit_twice"] == [("kit_twice", "loaded", "test")]
    assert registry.types["twice"].plugin == "kit_twice"


# -- stores, users, the CLI ------------------------------------------------------------------------


@pytest.mark.parametrize("duty_store_url", ["sqlite", "tinydb"], indirect=True)
def test_the_store_can_be_chosen_per_test(duty_store_url, duty_admin):
    assert duty_store_url.split(":")[0] == duty_admin.store.url.split(":")[0]
    assert duty_admin.create("unit", {"name": "一村", "kind": "village"}).id == "unit-1"


def test_a_store_url_template_names_the_tests_temp_folder(pytester, monkeypatch):
    pytester.makepyfile(test_template='''
        def test_url(duty_store_url, tmp_path, duty_admin):
            assert duty_store_url == f"tinydb:///{tmp_path}/mine.json"
            assert (tmp_path / "mine.json").exists()
    ''')
    monkeypatch.setenv("DUTY_TEST_DB", "tinydb:///{tmp}/mine.json")
    pytester.runpytest(*INNER).assert_outcomes(passed=1)


def test_a_ledger_acts_as_the_user_and_role_asked_for(duty_ledger_as, duty_admin):
    viewer = duty_ledger_as("alice", "viewer")
    assert (viewer.user.name, viewer.user.role, viewer.can("create")) == ("alice", "viewer", False)
    leader = duty_ledger_as("alice", "leader")
    assert leader.user.role == "leader" and leader.can("transition:leader")
    assert duty_ledger_as("alice", None).user.role == "leader", "role=None keeps the role"
    assert {u.name: u.role for u in duty_admin.users()} == {"admin": "admin", "alice": "leader"}


@pytest.mark.duty_plugin(NotePlugin(), name="notes")
def test_the_cli_runs_in_process_on_the_tests_store_with_its_plugins(duty_cli):
    assert duty_cli("init").exit_code == 0
    added = duty_cli("add", "kit_note", "title=年审", "date=2026-04-01", "--json")
    assert added.exit_code == 0 and added.json()["id"] == "kit_note-1"
    refused = duty_cli("add", "kit_note", "date=someday")
    assert refused.exit_code == 2 and "date" in refused.stderr and "title" in refused.stderr
    assert duty_cli("list", "kit_note", "--json", login="nobody").exit_code == 3


@pytest.mark.duty_plugin(NotePlugin(), name="notes")
def test_the_cli_adds_a_record_and_gives_its_id(duty_cli, duty_admin):
    assert duty_cli.add("kit_note", "title=年审", date=dt.date(2026, 4, 1)) == "kit_note-1"
    duty_admin.add_user("lina", "clerk")
    assert duty_cli.add("kit_note", title="走访", login="lina") == "kit_note-2"
    assert duty_admin.get("kit_note-1").data["date"] == dt.date(2026, 4, 1)
    with pytest.raises(AssertionError, match=r"(?s)duty add kit_note date=someday exited 2: .*title: required"):
        duty_cli.add("kit_note", date="someday")


# -- the TUI under Pilot -----------------------------------------------------------------------------


@pytest.mark.duty_plugin(NotePlugin(), name="notes")
async def test_the_app_runs_on_the_tests_store_and_opens_a_plugins_screen(duty_app, duty_admin):
    duty_admin.create("kit_note", {"title": "一"})
    duty_admin.create("kit_note", {"title": "二"})
    async with duty_app(size=(100, 30), year=2026) as pilot:
        assert pilot.app.size == (100, 30)
        screen = await open_plugin_screen(pilot, "kit.notes")
        assert type(screen).__name__ == "Notes"
        await wait_until(pilot, lambda: "2 notes, seen by admin in 2026" in screen_text(pilot.app), "the plugin's screen")


@pytest.mark.duty_plugin(NotePlugin(), name="notes")
async def test_the_app_acts_as_the_login_and_role_asked_for(duty_app):
    async with duty_app(login="lina", role="clerk", lang="zh") as pilot:
        assert (pilot.app.session.ledger.user.name, pilot.app.session.ledger.user.role) == ("lina", "clerk")
        assert pilot.app.lang == "zh"
        await open_plugin_screen(pilot, "kit.notes")
        await wait_until(pilot, lambda: "seen by lina" in screen_text(pilot.app), "the screen as lina")


async def test_opening_a_screen_nobody_registered_says_which_exist(duty_app):
    async with duty_app() as pilot:
        with pytest.raises(AssertionError, match="no plugin registered the screen 'nowhere'"):
            await open_plugin_screen(pilot, "nowhere")


def test_an_async_test_that_runs_the_app_itself_is_run_too(pytester):
    pytester.makepyfile(test_own_app=textwrap.dedent('''
        from duty_tui.testing import wait_until
        from duty_tui.tui.app import make_app

        async def test_own_app(duty_admin):
            app = make_app(duty_admin, lang="en", store_label="own")
            async with app.run_test(size=(80, 24)) as pilot:
                await wait_until(pilot, lambda: type(app.screen).__name__ == "MainScreen", "the main screen")
    '''))
    pytester.runpytest(*INNER).assert_outcomes(passed=1)


@pytest.mark.duty_plugin(NotePlugin(), name="notes")
async def test_a_record_list_opens_with_the_focus_on_its_table_and_text_is_typed_as_keys(duty_app, duty_admin):
    duty_admin.create("kit_note", {"title": "年审", "date": "2026-04-01"})
    async with duty_app(year=2026) as pilot:
        view = await open_record_list(pilot, "kit_note")
        assert pilot.app.focused is view.table
        await wait_until(pilot, lambda: "年审" in screen_text(pilot.app), "the note in the list")
        await pilot.press("/")
        await type_text(pilot, "no such note")
        await wait_until(pilot, lambda: "no such note" in screen_text(pilot.app), "the typed filter")
        with pytest.raises(AssertionError, match="timed out waiting for the impossible"):
            await wait_until(pilot, lambda: False, "the impossible", timeout=0.2)


# -- the backend contract suite, run the way a third-party backend runs it -----------------------------


def test_a_third_party_backend_runs_the_contract_suite_as_documented(pytester, tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    fake_installed_plugin(site, "duty_minedb", '''
        from duty_tui.hookspecs import hookimpl

        @hookimpl
        def duty_register_backends(register):
            from duty_tui_storage.sqlite import SqliteStore   # a "new" scheme over SQLite, for the test

            register("minedb", SqliteStore)
    ''')
    pytester.makepyfile(test_minedb_contract='''
        import pytest
        from duty_tui.contract import *  # noqa: F401,F403

        @pytest.fixture
        def contract_store_url(tmp_path):
            return f"minedb:///{tmp_path}/store.db"

        def test_the_backend_is_the_installed_one(contract_store):
            assert contract_store.url.startswith("minedb:")
    ''')
    monkeypatch.syspath_prepend(str(site))
    result = pytester.runpytest(*INNER, "-k",
                                           "backend_is or create_and_get or filters or versions or rolls_back or reopen")
    result.assert_outcomes(passed=6)
