"""The course hub: ``descent hub`` runs a class on JupyterHub from ``hub/jupyterhub_config.py``.

- :mod:`.layout`: the hub's state folder (private hub secrets, the exchange, the students'
  configuration) with the owners and modes that keep students apart;
- :mod:`.student_env`: the environment every student server runs from (the student wheel only);
- :mod:`.launch`: the proxy, the environment and the ``jupyterhub`` command.
"""
