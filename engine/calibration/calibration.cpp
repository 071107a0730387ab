// Calibration by indirect inference (issue in progress).
namespace wfsim {}
