-- The transfers still live (ringing a specialist, or bridged to one): the specialist console looks
-- them up every second for each signed-in specialist, and ring-next for the specialists busy on one.
create index warm_transfers_live on warm_transfers (status) where status in ('ringing', 'bridged');
