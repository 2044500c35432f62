"""The presentation layer: how the ledger's records, rules and areas read to a person, in Chinese
and English, for every face (the TUI, the CLI, the reports). No Textual, no click, no docx here.

- :mod:`.messages`: the message catalogue (every face's texts, by key);
- :mod:`.areas`: area labels and order, as the plugins declared them;
- :mod:`.display`: value display (dates, choices, references by title, lists), clipping by
  terminal cells, table columns;
- :mod:`.titles`: a record's title (its type's declared title field), looked up in bulk;
- :mod:`.filtering`: the one filter language (``/`` in the TUI, ``--filter`` on the CLI);
- :mod:`.dashboard`: what the dashboard shows for a year;
- :mod:`.history`: audit entries as a person reads them;
- :mod:`.session`: one operator's view (ledger, language, year, today) that the faces share.
"""
