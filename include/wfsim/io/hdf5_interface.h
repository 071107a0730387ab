// The thin typed HDF5 layer (after OpenMC's hdf5_interface.h): RAII handles, typed
// write_dataset / read_dataset overloads, attributes, dimension scales and chunked,
// compressed, appendable 1-D columns. It is the ONLY code of wfsim that calls the HDF5 C API;
// no HDF5 type appears here (an id is a plain int64, checked against hid_t in the .cpp).
// Every failure throws wfsim::RunError naming the object and the operation.
// Not thread-safe (the serial HDF5 library is not): use from one thread at a time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wfsim::h5 {

using Id = std::int64_t;  // hid_t

// Owns one HDF5 id (file, group, dataset, dataspace, type, attribute, property list) and
// closes it with the matching H5*close. Move-only.
class Handle {
 public:
  Handle() = default;
  explicit Handle(Id id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle() { reset(); }
  Id id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() noexcept;   // closes (errors ignored)
  Id release() noexcept {  // gives up ownership
    const Id id = id_;
    id_ = -1;
    return id;
  }

 private:
  Id id_ = -1;
};

// ---- files and groups ------------------------------------------------------------------

bool is_hdf5(const std::string& path);        // false if missing or not HDF5
Handle create_file(const std::string& path);  // truncates
Handle open_file_readonly(const std::string& path);
void flush_file(const Handle& file);
// Closes the file and checks that no object of it is left open.
void close_file(Handle& file);

// Group creation tracks link creation order, so list_* return objects in writing order.
Handle create_group(const Handle& parent, const std::string& name);
// Opens "a/b/c" under parent, creating missing groups.
Handle require_group(const Handle& parent, const std::string& path);
Handle open_group(const Handle& parent, const std::string& path);
Handle open_dataset(const Handle& parent, const std::string& path);
bool exists(const Handle& parent, const std::string& path);  // every component of the path
bool is_group(const Handle& parent, const std::string& name);
// Names of the direct children, in creation order when tracked (else by name).
std::vector<std::string> list_children(const Handle& group);
std::vector<std::string> list_datasets(const Handle& group);
std::vector<std::string> list_groups(const Handle& group);

// ---- datasets ------------------------------------------------------------------------

// Shape of a dataset (empty for a scalar).
std::vector<std::uint64_t> shape(const Handle& dataset);

// Writes a new dataset with the given shape (row-major data; dims empty = 1-D of data.size()).
void write_dataset(const Handle& group, const std::string& name, std::span<const double> data,
                   std::vector<std::uint64_t> dims = {});
void write_dataset(const Handle& group, const std::string& name, std::span<const std::int32_t> data,
                   std::vector<std::uint64_t> dims = {});
void write_dataset(const Handle& group, const std::string& name, std::span<const std::int64_t> data,
                   std::vector<std::uint64_t> dims = {});
// Variable-length UTF-8 strings, 1-D.
void write_dataset(const Handle& group, const std::string& name, const std::vector<std::string>& data);
// Scalar variable-length UTF-8 string.
void write_dataset(const Handle& group, const std::string& name, const std::string& value);

// Reads a whole dataset converted to the requested type; dims receives its shape.
std::vector<double> read_doubles(const Handle& group, const std::string& name,
                                 std::vector<std::uint64_t>* dims = nullptr);
std::vector<std::int32_t> read_int32s(const Handle& group, const std::string& name);
std::vector<std::int64_t> read_int64s(const Handle& group, const std::string& name);
std::vector<std::string> read_strings(const Handle& group, const std::string& name);
std::string read_string(const Handle& group, const std::string& name);  // scalar
// Reads out.size() elements of a 1-D dataset starting at element `start`.
void read_rows(const Handle& dataset, std::uint64_t start, std::span<std::int32_t> out);
void read_rows(const Handle& dataset, std::uint64_t start, std::span<double> out);

// ---- attributes (on a file, group or dataset) -------------------------------------------

void write_attribute(const Handle& obj, const std::string& name, const std::string& value);
void write_attribute(const Handle& obj, const std::string& name, const char* value);
void write_attribute(const Handle& obj, const std::string& name, const std::vector<std::string>& values);
void write_attribute(const Handle& obj, const std::string& name, std::int64_t value);
void write_attribute(const Handle& obj, const std::string& name, std::uint64_t value);
void write_attribute(const Handle& obj, const std::string& name, double value);
void write_attribute(const Handle& obj, const std::string& name, std::span<const std::int32_t> values);
void write_attribute(const Handle& obj, const std::string& name, std::span<const double> values);

bool has_attribute(const Handle& obj, const std::string& name);
std::string read_attribute_string(const Handle& obj, const std::string& name);
std::vector<std::string> read_attribute_strings(const Handle& obj, const std::string& name);
std::int64_t read_attribute_int(const Handle& obj, const std::string& name);
std::uint64_t read_attribute_uint(const Handle& obj, const std::string& name);
std::vector<std::int64_t> read_attribute_ints(const Handle& obj, const std::string& name);

// ---- dimension scales (H5DS) ------------------------------------------------------------

// Marks dataset `scale` as the dimension scale `dim_name`.
void make_dimension_scale(const Handle& scale, const std::string& dim_name);
// A dimension of the given length that has no coordinate values (netCDF's "dimension but
// not a variable": no storage; xarray shows the dimension without a coordinate).
Handle create_plain_dimension(const Handle& group, const std::string& name, std::uint64_t length);
void attach_scale(const Handle& dataset, const Handle& scale, unsigned axis);
bool is_dimension_scale(const Handle& dataset);

// ---- appendable 1-D columns --------------------------------------------------------------

enum class ColumnType { Int32, Int64, Float64 };

// A 1-D dataset of unlimited length, chunked (chunk_rows) and compressed (shuffle + deflate),
// grown by append(). Memory use is independent of its length.
class Column {
 public:
  Column(const Handle& group, const std::string& name, ColumnType type, std::uint64_t chunk_rows = 65536);
  void append(std::span<const std::int32_t> values);
  void append(std::span<const std::int64_t> values);
  void append(std::span<const double> values);
  std::uint64_t size() const { return size_; }
  const Handle& handle() const { return dataset_; }

 private:
  void append_raw(const void* data, std::uint64_t n, ColumnType type);
  Handle dataset_;
  ColumnType type_;
  std::uint64_t size_ = 0;
  std::string name_;
};

}  // namespace wfsim::h5
