// @wardwatch/evidence — evidence for funding bids, computed from the stored rollups.
