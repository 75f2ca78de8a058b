package eval

// SetRowPath turns the single-row path on or off for tests that compare it with the vector path.
func SetRowPath(on bool) { disableRowPath = !on }
