"""`python -m mercato.serve.cli`."""

from mercato.serve.cli import main

main()
