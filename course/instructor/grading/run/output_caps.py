"""Output kept per cell at grading: capped in characters and bytes; widgets not kept.

A mixin for nbclient's client (placed before it): the caps are the client's traits
``max_output_chars`` and ``max_output_bytes`` (:class:`.execute.ResilientExecute` defines them).
"""
from __future__ import annotations

from nbformat import NotebookNode


class OutputCaps:
    """Keep at most ``max_output_chars`` of text and ``max_output_bytes`` of all output per cell."""

    def handle_comm_msg(self, outs, msg, cell_index):
        """Widgets are not kept in graded notebooks (their state could be any size)."""

    def set_widgets_metadata(self):
        """See :meth:`handle_comm_msg`."""

    def _update_display_id(self, display_id, msg):
        if _size(msg.get("content", {})) <= self.max_output_bytes:
            super()._update_display_id(display_id, msg)

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``max_output_chars`` of text and ``max_output_bytes`` of all output per cell."""
        content = msg.get("content", {})
        used = self._cell_bytes.get(cell_index, 0)
        if msg.get("msg_type") == "stream":
            chars = sum(len(o.get("text", "")) for o in outs if o.get("output_type") == "stream")
            room = self.max_output_chars - chars
            if room <= 0:
                return None
            if len(content.get("text", "")) > room:
                content["text"] = content["text"][:room] + f"\n[output cut at {self.max_output_chars} characters]\n"
        elif msg.get("msg_type") == "error":
            content["evalue"] = str(content.get("evalue", ""))[:2000]
            content["traceback"] = [str(line)[:2000] for line in content.get("traceback", [])[-40:]]
        size = _size(content)
        if used + size > self.max_output_bytes:
            if used <= self.max_output_bytes:
                self._cell_bytes[cell_index] = self.max_output_bytes + 1
                outs.append(NotebookNode(output_type="stream", name="stdout",
                                         text=f"[output cut: more than {self.max_output_bytes} bytes]\n"))
            return None
        self._cell_bytes[cell_index] = used + size
        return super().output(outs, msg, display_id, cell_index)


def _size(content: dict) -> int:
    """Rough size of a message's payload, in bytes."""
    total = len(str(content.get("text", "")))
    for value in (content.get("data") or {}).values():
        total += len(value) if isinstance(value, str) else len(str(value))
    return total + len(str(content.get("traceback", ""))) + len(str(content.get("evalue", "")))
