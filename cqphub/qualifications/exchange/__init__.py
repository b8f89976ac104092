"""Exchange of a version's frameworks: a JSON document (`document.py`) and a spreadsheet (`xlsx.py`)
holding the same data, so that export → import → export is lossless."""
