"""Model files are never unpickled: pickles, object arrays, unknown members, tampered or foreign files are refused."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from conftest import CASES
from fa_policy_nlp.domain import DEFAULT_MODEL_PATH, load_model
from fa_policy_nlp.errors import ModelError

ROWS = yaml.safe_load((CASES / "domain_safety.yaml").read_text(encoding="utf-8"))


class _Payload:
    """Unpickling this creates a marker file: proof that nothing was unpickled if the file stays absent."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _members() -> dict[str, np.ndarray]:
    with np.load(DEFAULT_MODEL_PATH, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _write(path: Path, members: dict[str, np.ndarray]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, arr in members.items():
            with zf.open(name + ".npy", "w") as fh:
                np.lib.format.write_array(fh, arr, allow_pickle=True)
    path.write_bytes(buf.getvalue())
    return path


def _with_meta(members: dict[str, np.ndarray], **changes) -> dict[str, np.ndarray]:
    """Change metadata fields and re-seal the metadata checksum (a careful forger)."""
    meta = json.loads(members["meta"].tobytes())
    meta.update(changes)
    data = json.dumps(meta).encode("utf-8")
    return {**members, "meta": np.frombuffer(data, np.uint8),
            "meta_sha256": np.frombuffer(hashlib.sha256(data).hexdigest().encode(), np.uint8)}


def build(kind: str, tmp: Path, marker: Path) -> Path:
    m = _members()
    path = tmp / "model.npz"
    if kind == "pickle_of_arbitrary_object":
        path.write_bytes(pickle.dumps({"model": _Payload(marker)}))
    elif kind == "pickle_protocol_0":
        path.write_bytes(pickle.dumps(_Payload(marker), protocol=0))
    elif kind == "pickle_of_sklearn_estimator":
        from sklearn.linear_model import LogisticRegression

        path.write_bytes(pickle.dumps(LogisticRegression()))
    elif kind == "object_array_member":
        m["coef"] = np.array([_Payload(marker)], dtype=object)
        _write(path, m)
    elif kind == "extra_member":
        _write(path, {**m, "payload": np.arange(3)})
    elif kind == "missing_member":
        del m["intercept"]
        _write(path, m)
    elif kind == "tampered_coef":
        coef = m["coef"].copy()
        coef.flat[0] += 1.0
        _write(path, {**m, "coef": coef})
    elif kind == "tampered_vocabulary":
        vocab = m["vocab_word"].copy()
        vocab[0], vocab[1] = vocab[1], vocab[0]
        _write(path, {**m, "vocab_word": vocab})
    elif kind == "tampered_meta":
        meta = json.loads(m["meta"].tobytes())
        meta["labels"] = list(reversed(meta["labels"]))
        _write(path, {**m, "meta": np.frombuffer(json.dumps(meta).encode(), np.uint8)})
    elif kind == "future_format_version":
        _write(path, _with_meta(m, format_version=99))
    elif kind == "foreign_format":
        _write(path, _with_meta(m, format="someone-else/model"))
    elif kind == "wrong_dtype":
        _write(path, {**m, "coef": m["coef"].astype(np.int64)})
    elif kind == "inconsistent_shapes":
        meta = json.loads(m["meta"].tobytes())
        intercept = np.zeros(len(meta["labels"]) + 1, np.float32)
        sha = {**meta["sha256"], "intercept": hashlib.sha256(intercept.tobytes()).hexdigest()}
        _write(path, {**_with_meta(m, sha256=sha), "intercept": intercept})
    elif kind == "not_an_archive":
        path.write_bytes(b"this is not a model\n")
    elif kind == "truncated_archive":
        data = DEFAULT_MODEL_PATH.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "missing_file":
        path = tmp / "absent.npz"
    elif kind == "directory":
        path = tmp / "dir.npz"
        path.mkdir()
    else:  # pragma: no cover - a typo in the cases file
        raise AssertionError(f"unknown kind {kind}")
    return path


@pytest.mark.parametrize("row", ROWS, ids=[r["kind"] for r in ROWS])
def test_refused(row, tmp_path):
    marker = tmp_path / "UNPICKLED"
    path = build(row["kind"], tmp_path, marker)
    with pytest.raises(ModelError, match=row["error"]):
        load_model(path)
    assert not marker.exists(), "a pickle was executed while loading"


def test_payload_really_runs_when_unpickled(tmp_path):
    """The marker mechanism works, so its absence above means something."""
    marker = tmp_path / "UNPICKLED"
    pickle.loads(pickle.dumps(_Payload(marker)))
    assert marker.exists()


def test_shipped_model_is_pickle_free_and_sealed():
    with zipfile.ZipFile(DEFAULT_MODEL_PATH) as zf:
        names = sorted(zf.namelist())
    assert names == sorted(f"{k}.npy" for k in ("meta", "meta_sha256", "vocab_word", "vocab_char", "idf", "coef",
                                                   "intercept"))
    m = _members()  # allow_pickle=False: would raise on object arrays
    assert all(not a.dtype.hasobject for a in m.values())
    meta = json.loads(m["meta"].tobytes())
    assert meta["format"] == "fa-policy-nlp/domain-model" and meta["format_version"] == 1
    assert meta["package_version"]
    assert load_model(DEFAULT_MODEL_PATH).labels == tuple(meta["labels"])
