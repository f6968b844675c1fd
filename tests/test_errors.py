"""A user's mistake shows as its message alone: no traceback in a notebook either."""

import pytest

from canvastools import InputError, ValidationErrors


def test_render_traceback_is_the_message_prefixed_with_the_class_name():
    err = InputError("unknown relationship type 'self_serve'", where="answer for 'b'",
                     choices=["self_service"], got="self_serve")
    assert err._render_traceback_() == [
        "InputError: answer for 'b': unknown relationship type 'self_serve' "
        "(did you mean 'self_service'?). Valid choices: self_service"]


def test_render_traceback_of_several_errors_gives_one_line_each():
    errors = ValidationErrors([InputError("first", file="a.yaml"),
                               InputError("second", file="a.yaml")])
    assert errors._render_traceback_() == ["ValidationErrors: a.yaml: first", "a.yaml: second"]


def test_a_notebook_shows_the_message_without_a_traceback(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import canvastools as ct\nbank = ct.load_cases()"),
        nbformat.v4.new_code_cell('bank["ing-directt"]'),
        nbformat.v4.new_code_cell('ct.Canvas.from_dict({"title": 5, "blocks": []})'),
    ]
    nbclient.NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    first, second = (cell.outputs[0] for cell in nb.cells[1:])
    assert first.output_type == "error" and first.ename == "InputError"
    assert len(first.traceback) == 1 and first.traceback[0].startswith("InputError: ")
    assert "no case with id 'ing-directt' (did you mean 'ing-direct'?)" in first.traceback[0]
    assert second.ename == "ValidationErrors" and len(second.traceback) == 2
    assert second.traceback[0].startswith("ValidationErrors: <canvas>, field 'title'")
    for output in (first, second):
        text = "\n".join(output.traceback)
        assert "Traceback" not in text and ".py" not in text and "\x1b[" not in text


def test_not_ready_to_submit_is_in_the_one_error_tree_at_every_old_path():
    """check_saved's error is a CanvasToolsError (and still a ValueError, as code caught it)."""
    import canvastools
    from canvastools.errors import CanvasToolsError, NotReadyToSubmit
    from canvastools.grading import NotReadyToSubmit as from_grading

    assert from_grading is NotReadyToSubmit is canvastools.NotReadyToSubmit
    assert issubclass(NotReadyToSubmit, CanvasToolsError) and issubclass(NotReadyToSubmit,
                                                                         ValueError)
    err = NotReadyToSubmit("Not ready: quiz\n- nothing saved")
    assert err._render_traceback_() == ["Not ready: quiz", "- nothing saved"]


def test_check_saved_raises_the_tree_error(tmp_path):
    from canvastools.errors import CanvasToolsError
    from canvastools.grading import check_saved

    with pytest.raises(CanvasToolsError, match="canvastools_answers.json"):
        check_saved("quiz", folder=str(tmp_path))
