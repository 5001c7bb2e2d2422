-- The periodic re-check of linked HES codes takes the links checked longest ago first.
CREATE INDEX hes_links_checked_at_idx ON hes_links (checked_at);
