from datetime import date

from core.versions import changed_fields, edit_version


def test_the_same_values_give_the_same_version():
    values = {"title": "Ship", "due_date": date(2030, 1, 2)}
    assert edit_version(values) == edit_version(dict(values))


def test_changed_fields_names_each_field_whose_value_differs_in_order():
    before = edit_version({"title": "Ship", "body": "x", "status": "draft"})
    after = edit_version({"title": "Ship!", "body": "x", "status": "published"})
    assert changed_fields(version=before, current=after) == ["title", "status"]


def test_no_field_changed_when_the_versions_are_equal():
    version = edit_version({"title": "Ship", "tags": ["a", "b"]})
    assert changed_fields(version=version, current=version) == []


def test_a_version_from_elsewhere_marks_every_field_changed():
    current = edit_version({"title": "Ship", "body": "x"})
    assert changed_fields(version="garbage", current=current) == ["title", "body"]
