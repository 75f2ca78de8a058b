package eval

// SetRowPath turns the single-row path on or off for tests that compare it with the vector path.
func SetRowPath(on bool) { disableRowPath = !on }

// SetBulkAggregates turns bulk accumulation on or off for plans compiled after the call.
func SetBulkAggregates(on bool) { disableBulkAggregates = !on }

// SetFusion turns fusion of float arithmetic on or off for plans compiled after the call.
func SetFusion(on bool) { disableFusion = !on }
