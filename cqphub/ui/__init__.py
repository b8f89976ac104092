"""Page helpers with no domain logic that any app's views may use (below the domain apps in the import
contracts): `tables` describes the lists that `{% data_table %}` (in `cqphub.web`) renders.

Not a Django app: templates and template tags stay in `cqphub/web`."""
