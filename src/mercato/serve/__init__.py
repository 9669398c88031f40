"""serve: the ways people reach Mercato — the `mercato` CLI, the JSON API, the web dashboard.

May touch: the store (read and write through mercato.store), and call every other stage.
"""
