"""The red-team corpus: workbooks filled the way groups really fill them, in code.

Each case is a realistic mistake or habit (rows typed under a table, a header retyped,
« 70 % » in an indicator, « Terminé » for « Terminée », last month's file left beside
this month's…), built from the real template by ``workbooks`` and described in
``cases``. The tests run every case through ``check`` and ``consolidate`` and hold the
product's first promise on all of them: nothing typed is lost, silently changed or left
unanswered. Add a case for every new way of typing that someone reports.
"""
