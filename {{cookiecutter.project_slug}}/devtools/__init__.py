"""The project's development tools; the running site never imports them.

``architecture/`` holds the layer rules that import contracts cannot say,
``addapp`` adds a layered app from ``app_template/``, ``demo`` fills a
database with demo data through the services. Only the dev and test settings
install this app, so production loads none of it and ``manage.py help``
there lists none of its commands.
"""
