"""The course hub: ``descent hub`` runs a class on JupyterHub from ``hub/jupyterhub_config.py``.

- :mod:`.layout`: the hub's state folder (private hub secrets, the exchange, the students'
  configuration) with the owners and modes that keep students apart;
- :mod:`.student_env`: the environment every student server runs from (the student wheel only);
- :mod:`.grader_env`: the formgrader's Python, on an interpreter the grader account may run;
- :mod:`.graders`: several graders of one course (their group, the shared course root, the gradebook);
- :mod:`.access`: what other accounts can reach (checked before the hub starts);
- :mod:`.hubapp`: JupyterHub, patient with a slow formgrader;
- :mod:`.launch`: the proxy, the environment and the hub's command.
"""
