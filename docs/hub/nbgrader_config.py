"""nbgrader settings shared by every user of the hub: the exchange through which instructors
release assignments and return feedback and students fetch and submit. Install it as
/etc/jupyter/nbgrader_config.py (a folder every user's nbgrader reads). Each course keeps its
own settings (course_id, the canvastools ones) in COURSE/nbgrader_config.py, written by
`canvastools quickstart`. docs/jupyterhub.md explains the permissions.

    sudo mkdir -p /srv/nbgrader/exchange && sudo chmod 1777 /srv/nbgrader/exchange
"""

c = get_config()  # noqa: F821 (provided by traitlets)

c.Exchange.root = "/srv/nbgrader/exchange"  # ADAPT: the folder made above
# several courses on one hub: a student's copy goes to ~/COURSE_ID/ASSIGNMENT, not ~/ASSIGNMENT
c.Exchange.path_includes_course = True
