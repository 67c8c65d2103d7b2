"""The period's emails: compose (``compose``), write as drafts (``drafts``), or send
exactly once (``deliver`` over ``smtp``, remembered by the ``ledger``); ``period``
runs them for the ``mail`` and ``run`` commands.

Nothing is imported here: the status page reads the ledger alone, without loading what
composing an email needs (the pre-filled workbooks' writer, the validation).
"""
