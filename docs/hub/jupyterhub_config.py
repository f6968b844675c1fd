"""JupyterHub for a canvastools course: every user is a system user of this machine, logs in
with their system password and gets a JupyterLab server that runs as that user, with nbgrader's
Assignments tab. Start it as root from the environment that has canvastools installed:

    sudo /opt/canvastools/bin/jupyterhub -f /etc/jupyterhub/jupyterhub_config.py

This is the configuration that tests/hub/test_jupyterhub_course.py starts (the test only adds
its ports, a temporary state folder and the users it creates); docs/jupyterhub.md explains it.
Put docs/hub/nbgrader_config.py in /etc/jupyter/ for the exchange, and adapt the marked lines.
"""

import os
import sys

c = get_config()  # noqa: F821 (provided by traitlets)

# Listen on localhost only and put a TLS proxy (nginx, Caddy) in front of it.  ADAPT
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"  # ADAPT
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"  # ADAPT

# System users log in with their system password (PAM); only members of these groups may.
c.JupyterHub.authenticator_class = "pam"
c.LocalAuthenticator.allowed_groups = {"students", "instructors"}  # ADAPT

# Each user's server is a process of that system user, started in their home folder (which
# must be private: chmod 700). Everybody runs the hub's own environment, where canvastools,
# nbgrader (with its lab extensions) and JupyterLab are installed.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(sys.prefix, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 60
