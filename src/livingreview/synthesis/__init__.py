"""Evidence synthesis over the validated notes: certainty per prediction (:mod:`.certainty`, rules in
``reviews/certainty.yml`` read by :mod:`.rules`), the open-question register (:mod:`.questions`,
page :mod:`.register_page`), claim drift between a report and its source (:mod:`.drift`) and the
wording lint (:mod:`.wording`). Every function takes typed models and DataFrames, not files."""
