"""The lab's progress, judged from the code: which steps are done, and why not.

``python manage.py lab_check`` prints this report (``--json`` for a gradebook).
A step is done when it has no finding. The checks read the code with ``ast``
(never importing it) and reuse the architecture rules of
``devtools/architecture/``; steps that need tests run them: one pytest run of
the whole suite in a subprocess, whose per-file results each step reads. A
step that needs tests wants at least one test collected in each file it names,
and every test of those files passing.

docs/LAB.md describes the steps for students, docs/INSTRUCTOR.md for
instructors.

The modules, by topic: ``findings`` (what a step reports), ``testrun`` (the
pytest run), ``reading`` (``ast`` helpers), ``step_findings`` (findings
several steps share), ``step`` (what a step is), ``refactor_steps`` and
``project_steps`` (the refactoring steps), ``exercises``, and ``grader`` (the
steps in order, ``STEPS``, and ``check_lab``). Import a name from the module
that defines it.
"""
