"""nbgrader's check of cell metadata, with its JSON schema compiled once.

``nbgrader.preprocessors.CheckCellMetadata`` validates every cell's nbgrader metadata with
``jsonschema.validate``, which checks the *schema* itself again at every call: about 0.15 CPU
seconds per notebook, twice per notebook graded. Same verdicts here (nbgrader's validator and
its errors), with the schema checked and compiled once per process.
"""
from __future__ import annotations

import json
import traceback

import jsonschema
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import CheckCellMetadata as _StockCheck

_COMPILED: "dict[str, jsonschema.protocols.Validator]" = {}


def _validator(schema: dict) -> "jsonschema.protocols.Validator":
    key = json.dumps(schema, sort_keys=True)
    if key not in _COMPILED:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _COMPILED[key] = cls(schema)
    return _COMPILED[key]


class _CompiledSchemaCheck(BaseMetadataValidator):
    """The base validator's step, ``jsonschema.validate`` of a cell's metadata, with the schema compiled once."""

    def validate_cell(self, cell) -> None:
        meta = cell.metadata.get("nbgrader") if "nbgrader" in cell.metadata else None
        if not isinstance(meta, dict) or meta.get("schema_version", 0) != self.schema_version:
            return super().validate_cell(cell)  # nbgrader's own answer (absent, too old, too new, malformed)
        error = jsonschema.exceptions.best_match(_validator(self.schema).iter_errors(meta))
        if error is not None:
            raise error


class CompiledMetadataValidator(MetadataValidator, _CompiledSchemaCheck):
    """nbgrader's current metadata validator, every check of it kept, its schema step compiled.

    (In the method order, :class:`_CompiledSchemaCheck` comes between nbgrader's validator and
    its base, so nbgrader's ``super().validate_cell`` reaches the compiled step.)
    """


class CheckCellMetadata(_StockCheck):
    """``nbgrader.preprocessors.CheckCellMetadata`` with :class:`CompiledMetadataValidator`."""

    def preprocess(self, nb, resources):
        try:
            CompiledMetadataValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources
