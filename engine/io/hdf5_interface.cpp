#include "wfsim/io/hdf5_interface.h"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstdio>
#include <mutex>
#include <type_traits>

#include "wfsim/errors.h"

namespace wfsim::h5 {

static_assert(std::is_same_v<Id, hid_t>, "wfsim::h5::Id must be hid_t");

namespace {

// HDF5 prints its error stack by default; we throw typed errors instead.
void quiet() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

[[noreturn]] void fail(const std::string& what, const std::string& name) {
  throw RunError("HDF5: cannot " + what + " '" + name + "'");
}

Id check(Id id, const std::string& what, const std::string& name) {
  if (id < 0) fail(what, name);
  return id;
}

void check(herr_t rc, const std::string& what, const std::string& name) {
  if (rc < 0) fail(what, name);
}

std::vector<hsize_t> to_hsize(const std::vector<std::uint64_t>& dims) {
  return std::vector<hsize_t>(dims.begin(), dims.end());
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1));
  check(H5Tset_size(t.id(), H5T_VARIABLE), "make string type", "");
  check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "make string type", "");
  return t;
}

Handle simple_space(const std::vector<hsize_t>& dims) {
  return Handle(
      check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "create dataspace", ""));
}

Handle link_create_plist() {
  Handle p(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(p.id(), 0);
  return p;
}

template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
}

hid_t native_type(ColumnType t) {
  switch (t) {
    case ColumnType::Int32:
      return H5T_NATIVE_INT32;
    case ColumnType::Int64:
      return H5T_NATIVE_INT64;
    case ColumnType::Float64:
      return H5T_NATIVE_DOUBLE;
  }
  return H5T_NATIVE_DOUBLE;
}

// Standard little-endian file types, so files read the same everywhere.
hid_t file_type(hid_t native) {
  if (H5Tequal(native, H5T_NATIVE_DOUBLE) > 0) return H5T_IEEE_F64LE;
  if (H5Tequal(native, H5T_NATIVE_INT32) > 0) return H5T_STD_I32LE;
  if (H5Tequal(native, H5T_NATIVE_INT64) > 0) return H5T_STD_I64LE;
  if (H5Tequal(native, H5T_NATIVE_UINT64) > 0) return H5T_STD_U64LE;
  return native;
}

template <class T>
void write_numeric(const Handle& group, const std::string& name, std::span<const T> data,
                   std::vector<std::uint64_t> dims) {
  quiet();
  if (dims.empty()) dims = {data.size()};
  std::uint64_t n = 1;
  for (auto d : dims) n *= d;
  if (n != data.size()) throw RunError("HDF5: shape does not match data size for '" + name + "'");
  Handle space = simple_space(to_hsize(dims));
  Handle lcpl = link_create_plist();
  Handle ds(check(H5Dcreate2(group.id(), name.c_str(), file_type(native_type<T>()), space.id(), lcpl.id(),
                             H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset", name));
  if (n > 0)
    check(H5Dwrite(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write dataset",
          name);
}

template <class T>
std::vector<T> read_numeric(const Handle& group, const std::string& name, std::vector<std::uint64_t>* dims) {
  Handle ds = open_dataset(group, name);
  const auto sh = shape(ds);
  std::uint64_t n = 1;
  for (auto d : sh) n *= d;
  if (dims) *dims = sh;
  std::vector<T> out(n);
  if (n > 0)
    check(H5Dread(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read dataset",
          name);
  return out;
}

template <class T>
void write_numeric_attribute(const Handle& obj, const std::string& name, std::span<const T> values,
                             bool scalar) {
  quiet();
  if (H5Aexists(obj.id(), name.c_str()) > 0) H5Adelete(obj.id(), name.c_str());
  Handle space = scalar ? Handle(H5Screate(H5S_SCALAR)) : simple_space({values.size()});
  Handle a(check(
      H5Acreate2(obj.id(), name.c_str(), file_type(native_type<T>()), space.id(), H5P_DEFAULT, H5P_DEFAULT),
      "create attribute", name));
  if (!values.empty()) check(H5Awrite(a.id(), native_type<T>(), values.data()), "write attribute", name);
}

std::vector<std::string> read_strings_from(hid_t obj, bool is_attribute, const std::string& name) {
  Handle ftype(check(is_attribute ? H5Aget_type(obj) : H5Dget_type(obj), "get type of", name));
  if (H5Tget_class(ftype.id()) != H5T_STRING) throw RunError("HDF5: '" + name + "' is not a string");
  Handle space(check(is_attribute ? H5Aget_space(obj) : H5Dget_space(obj), "get dataspace of", name));
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  std::vector<std::string> out;
  if (n <= 0) return out;
  const auto count = static_cast<std::size_t>(n);
  out.reserve(count);
  if (H5Tis_variable_str(ftype.id()) > 0) {
    Handle mtype = string_type();
    std::vector<char*> buf(count, nullptr);
    check(is_attribute ? H5Aread(obj, mtype.id(), buf.data())
                       : H5Dread(obj, mtype.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
          "read strings", name);
    for (char* p : buf) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(mtype.id(), space.id(), H5P_DEFAULT, buf.data());
  } else {  // fixed-length strings written by another tool
    const std::size_t size = H5Tget_size(ftype.id());
    Handle mtype(H5Tcopy(H5T_C_S1));
    H5Tset_size(mtype.id(), size);
    std::vector<char> buf(size * count);
    check(is_attribute ? H5Aread(obj, mtype.id(), buf.data())
                       : H5Dread(obj, mtype.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
          "read strings", name);
    for (std::size_t i = 0; i < count; ++i) {
      std::string s(buf.data() + i * size, size);
      s.resize(s.find('\0') == std::string::npos ? s.size() : s.find('\0'));
      out.push_back(s);
    }
  }
  return out;
}

void write_string_attribute(const Handle& obj, const std::string& name,
                            const std::vector<std::string>& values, bool scalar) {
  quiet();
  if (H5Aexists(obj.id(), name.c_str()) > 0) H5Adelete(obj.id(), name.c_str());
  Handle type = string_type();
  Handle space = scalar ? Handle(H5Screate(H5S_SCALAR)) : simple_space({values.size()});
  Handle a(check(H5Acreate2(obj.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                 "create attribute", name));
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!ptrs.empty()) check(H5Awrite(a.id(), type.id(), ptrs.data()), "write attribute", name);
}

Handle open_attribute(const Handle& obj, const std::string& name) {
  quiet();
  return Handle(check(H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT), "open attribute", name));
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

}  // namespace

// ---- Handle --------------------------------------------------------------------------------

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    o.id_ = -1;
  }
  return *this;
}

void Handle::reset() noexcept {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE:
      H5Fclose(id_);
      break;
    case H5I_GROUP:
      H5Gclose(id_);
      break;
    case H5I_DATASET:
      H5Dclose(id_);
      break;
    case H5I_DATASPACE:
      H5Sclose(id_);
      break;
    case H5I_DATATYPE:
      H5Tclose(id_);
      break;
    case H5I_ATTR:
      H5Aclose(id_);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id_);
      break;
    default:
      break;
  }
  id_ = -1;
}

// ---- files and groups ----------------------------------------------------------------------

bool is_hdf5(const std::string& path) {
  quiet();
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    return false;
  }
  return H5Fis_hdf5(path.c_str()) > 0;
}

Handle create_file(const std::string& path) {
  quiet();
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE));
  H5Pset_link_creation_order(fcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  // Strong close degree: closing the file closes every object still open in it.
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG);
  return Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()), "create file", path));
}

Handle open_file_readonly(const std::string& path) {
  quiet();
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG);
  return Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.id()), "open file", path));
}

void flush_file(const Handle& file) { check(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), "flush file", ""); }

void close_file(Handle& file) {
  const Id id = file.release();
  check(H5Fclose(id), "close file", "");
}

Handle create_group(const Handle& parent, const std::string& name) {
  quiet();
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE));
  H5Pset_link_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  Handle lcpl = link_create_plist();
  return Handle(
      check(H5Gcreate2(parent.id(), name.c_str(), lcpl.id(), gcpl.id(), H5P_DEFAULT), "create group", name));
}

Handle require_group(const Handle& parent, const std::string& path) {
  std::string sofar;
  Handle current(check(H5Oopen(parent.id(), ".", H5P_DEFAULT), "open group", "."));
  std::size_t pos = 0;
  while (pos <= path.size()) {
    const std::size_t slash = path.find('/', pos);
    const std::string part = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    pos = slash == std::string::npos ? path.size() + 1 : slash + 1;
    if (part.empty() || part == ".") continue;
    if (H5Lexists(current.id(), part.c_str(), H5P_DEFAULT) > 0)
      current = open_group(current, part);
    else
      current = create_group(current, part);
  }
  return current;
}

Handle open_group(const Handle& parent, const std::string& path) {
  quiet();
  return Handle(
      check(H5Gopen2(parent.id(), path.empty() ? "." : path.c_str(), H5P_DEFAULT), "open group", path));
}

Handle open_dataset(const Handle& parent, const std::string& path) {
  quiet();
  return Handle(check(H5Dopen2(parent.id(), path.c_str(), H5P_DEFAULT), "open dataset", path));
}

bool exists(const Handle& parent, const std::string& path) {
  quiet();
  std::string sofar;
  std::size_t pos = 0;
  if (!path.empty() && path[0] == '/') {
    sofar = "/";
    pos = 1;
  }
  while (pos < path.size()) {
    const std::size_t slash = path.find('/', pos);
    const std::string part = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    pos = slash == std::string::npos ? path.size() : slash + 1;
    if (part.empty()) continue;
    sofar += (sofar.empty() || sofar == "/" ? "" : "/") + part;
    if (H5Lexists(parent.id(), sofar.c_str(), H5P_DEFAULT) <= 0) return false;
    if (H5Oexists_by_name(parent.id(), sofar.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

bool is_group(const Handle& parent, const std::string& name) {
  quiet();
  H5O_info_t info;
  if (H5Oget_info_by_name(parent.id(), name.c_str(), &info, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_GROUP;
}

std::vector<std::string> list_children(const Handle& group) {
  quiet();
  std::vector<std::string> names;
  unsigned flags = 0;
  {
    Handle gcpl(H5Gget_create_plist(group.id()));
    if (gcpl.valid()) H5Pget_link_creation_order(gcpl.id(), &flags);
  }
  const H5_index_t index = (flags & H5P_CRT_ORDER_TRACKED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  hsize_t idx = 0;
  check(H5Literate(group.id(), index, H5_ITER_INC, &idx, collect_name, &names), "list group", "");
  return names;
}

std::vector<std::string> list_datasets(const Handle& group) {
  std::vector<std::string> out;
  for (auto& n : list_children(group)) {
    H5O_info_t info;
    if (H5Oget_info_by_name(group.id(), n.c_str(), &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET)
      out.push_back(n);
  }
  return out;
}

std::vector<std::string> list_groups(const Handle& group) {
  std::vector<std::string> out;
  for (auto& n : list_children(group))
    if (is_group(group, n)) out.push_back(n);
  return out;
}

// ---- datasets ---------------------------------------------------------------------------------

std::vector<std::uint64_t> shape(const Handle& dataset) {
  Handle space(check(H5Dget_space(dataset.id()), "get dataspace", ""));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail("get rank", "");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  return std::vector<std::uint64_t>(dims.begin(), dims.end());
}

void write_dataset(const Handle& group, const std::string& name, std::span<const double> data,
                   std::vector<std::uint64_t> dims) {
  write_numeric(group, name, data, std::move(dims));
}
void write_dataset(const Handle& group, const std::string& name, std::span<const std::int32_t> data,
                   std::vector<std::uint64_t> dims) {
  write_numeric(group, name, data, std::move(dims));
}
void write_dataset(const Handle& group, const std::string& name, std::span<const std::int64_t> data,
                   std::vector<std::uint64_t> dims) {
  write_numeric(group, name, data, std::move(dims));
}

void write_dataset(const Handle& group, const std::string& name, const std::vector<std::string>& data) {
  quiet();
  Handle type = string_type();
  Handle space = simple_space({data.size()});
  Handle lcpl = link_create_plist();
  Handle ds(
      check(H5Dcreate2(group.id(), name.c_str(), type.id(), space.id(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT),
            "create dataset", name));
  std::vector<const char*> ptrs;
  for (const auto& s : data) ptrs.push_back(s.c_str());
  if (!ptrs.empty())
    check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write dataset", name);
}

void write_dataset(const Handle& group, const std::string& name, const std::string& value) {
  quiet();
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR));
  Handle lcpl = link_create_plist();
  Handle ds(
      check(H5Dcreate2(group.id(), name.c_str(), type.id(), space.id(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT),
            "create dataset", name));
  const char* p = value.c_str();
  check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write dataset", name);
}

std::vector<double> read_doubles(const Handle& group, const std::string& name,
                                 std::vector<std::uint64_t>* dims) {
  return read_numeric<double>(group, name, dims);
}
std::vector<std::int32_t> read_int32s(const Handle& group, const std::string& name) {
  return read_numeric<std::int32_t>(group, name, nullptr);
}
std::vector<std::int64_t> read_int64s(const Handle& group, const std::string& name) {
  return read_numeric<std::int64_t>(group, name, nullptr);
}

std::vector<std::string> read_strings(const Handle& group, const std::string& name) {
  Handle ds = open_dataset(group, name);
  return read_strings_from(ds.id(), false, name);
}

std::string read_string(const Handle& group, const std::string& name) {
  auto v = read_strings(group, name);
  if (v.size() != 1) throw RunError("HDF5: '" + name + "' is not a single string");
  return v.front();
}

namespace {
void read_rows_raw(const Handle& dataset, std::uint64_t start, std::uint64_t n, hid_t type, void* out) {
  if (n == 0) return;
  const hsize_t first = start, count = n;
  Handle file_space(check(H5Dget_space(dataset.id()), "get dataspace", ""));
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, &first, nullptr, &count, nullptr), "select rows",
        "");
  Handle mem_space(check(H5Screate_simple(1, &count, nullptr), "create dataspace", ""));
  check(H5Dread(dataset.id(), type, mem_space.id(), file_space.id(), H5P_DEFAULT, out), "read rows", "");
}
}  // namespace

void read_rows(const Handle& dataset, std::uint64_t start, std::span<std::int32_t> out) {
  read_rows_raw(dataset, start, out.size(), H5T_NATIVE_INT32, out.data());
}
void read_rows(const Handle& dataset, std::uint64_t start, std::span<double> out) {
  read_rows_raw(dataset, start, out.size(), H5T_NATIVE_DOUBLE, out.data());
}

// ---- attributes ----------------------------------------------------------------------------

void write_attribute(const Handle& obj, const std::string& name, const std::string& value) {
  write_string_attribute(obj, name, {value}, true);
}
void write_attribute(const Handle& obj, const std::string& name, const char* value) {
  write_string_attribute(obj, name, {std::string(value)}, true);
}
void write_attribute(const Handle& obj, const std::string& name, const std::vector<std::string>& values) {
  write_string_attribute(obj, name, values, false);
}
void write_attribute(const Handle& obj, const std::string& name, std::int64_t value) {
  write_numeric_attribute<std::int64_t>(obj, name, std::span<const std::int64_t>(&value, 1), true);
}
void write_attribute(const Handle& obj, const std::string& name, std::uint64_t value) {
  write_numeric_attribute<std::uint64_t>(obj, name, std::span<const std::uint64_t>(&value, 1), true);
}
void write_attribute(const Handle& obj, const std::string& name, double value) {
  write_numeric_attribute<double>(obj, name, std::span<const double>(&value, 1), true);
}
void write_attribute(const Handle& obj, const std::string& name, std::span<const std::int32_t> values) {
  write_numeric_attribute<std::int32_t>(obj, name, values, false);
}
void write_attribute(const Handle& obj, const std::string& name, std::span<const double> values) {
  write_numeric_attribute<double>(obj, name, values, false);
}

bool has_attribute(const Handle& obj, const std::string& name) {
  quiet();
  return H5Aexists(obj.id(), name.c_str()) > 0;
}

std::string read_attribute_string(const Handle& obj, const std::string& name) {
  Handle a = open_attribute(obj, name);
  auto v = read_strings_from(a.id(), true, name);
  if (v.size() != 1) throw RunError("HDF5: attribute '" + name + "' is not a single string");
  return v.front();
}

std::vector<std::string> read_attribute_strings(const Handle& obj, const std::string& name) {
  Handle a = open_attribute(obj, name);
  return read_strings_from(a.id(), true, name);
}

std::vector<std::int64_t> read_attribute_ints(const Handle& obj, const std::string& name) {
  Handle a = open_attribute(obj, name);
  Handle type(H5Aget_type(a.id()));
  if (H5Tget_class(type.id()) != H5T_INTEGER)
    throw RunError("HDF5: attribute '" + name + "' is not an integer");
  Handle space(H5Aget_space(a.id()));
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  std::vector<std::int64_t> out(static_cast<std::size_t>(n < 0 ? 0 : n));
  if (!out.empty()) check(H5Aread(a.id(), H5T_NATIVE_INT64, out.data()), "read attribute", name);
  return out;
}

std::int64_t read_attribute_int(const Handle& obj, const std::string& name) {
  auto v = read_attribute_ints(obj, name);
  if (v.size() != 1) throw RunError("HDF5: attribute '" + name + "' is not a single integer");
  return v.front();
}

std::uint64_t read_attribute_uint(const Handle& obj, const std::string& name) {
  Handle a = open_attribute(obj, name);
  Handle type(H5Aget_type(a.id()));
  if (H5Tget_class(type.id()) != H5T_INTEGER)
    throw RunError("HDF5: attribute '" + name + "' is not an integer");
  Handle space(H5Aget_space(a.id()));
  if (H5Sget_simple_extent_npoints(space.id()) != 1)
    throw RunError("HDF5: attribute '" + name + "' is not a single integer");
  std::uint64_t v = 0;
  check(H5Aread(a.id(), H5T_NATIVE_UINT64, &v), "read attribute", name);
  return v;
}

// ---- dimension scales -----------------------------------------------------------------------

void make_dimension_scale(const Handle& scale, const std::string& dim_name) {
  check(H5DSset_scale(scale.id(), dim_name.c_str()), "make dimension scale", dim_name);
}

Handle create_plain_dimension(const Handle& group, const std::string& name, std::uint64_t length) {
  quiet();
  Handle space = simple_space({length});
  Handle lcpl = link_create_plist();
  // Contiguous and never written: HDF5 allocates no storage for it.
  Handle ds(check(
      H5Dcreate2(group.id(), name.c_str(), H5T_IEEE_F32LE, space.id(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT),
      "create dimension", name));
  char label[128];
  std::snprintf(label, sizeof label, "This is a netCDF dimension but not a netCDF variable.%10llu",
                static_cast<unsigned long long>(length));
  make_dimension_scale(ds, label);
  return ds;
}

void attach_scale(const Handle& dataset, const Handle& scale, unsigned axis) {
  check(H5DSattach_scale(dataset.id(), scale.id(), axis), "attach dimension scale to", "");
}

bool is_dimension_scale(const Handle& dataset) { return H5DSis_scale(dataset.id()) > 0; }

// ---- appendable columns ----------------------------------------------------------------------

Column::Column(const Handle& group, const std::string& name, ColumnType type, std::uint64_t chunk_rows)
    : type_(type), name_(name) {
  quiet();
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = chunk_rows;
  Handle space(check(H5Screate_simple(1, &zero, &unlimited), "create dataspace", name));
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
  check(H5Pset_chunk(dcpl.id(), 1, &chunk), "set chunking of", name);
  check(H5Pset_shuffle(dcpl.id()), "set shuffle filter of", name);
  check(H5Pset_deflate(dcpl.id(), 4), "set deflate filter of", name);
  Handle lcpl = link_create_plist();
  dataset_ = Handle(check(H5Dcreate2(group.id(), name.c_str(), file_type(native_type(type)), space.id(),
                                     lcpl.id(), dcpl.id(), H5P_DEFAULT),
                          "create column", name));
}

void Column::append(std::span<const std::int32_t> values) {
  append_raw(values.data(), values.size(), ColumnType::Int32);
}
void Column::append(std::span<const std::int64_t> values) {
  append_raw(values.data(), values.size(), ColumnType::Int64);
}
void Column::append(std::span<const double> values) {
  append_raw(values.data(), values.size(), ColumnType::Float64);
}

void Column::append_raw(const void* data, std::uint64_t n, ColumnType type) {
  if (n == 0) return;
  const hsize_t new_size = size_ + n, start = size_, count = n;
  check(H5Dset_extent(dataset_.id(), &new_size), "extend column", name_);
  Handle file_space(check(H5Dget_space(dataset_.id()), "get dataspace", name_));
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        "select rows of", name_);
  Handle mem_space(check(H5Screate_simple(1, &count, nullptr), "create dataspace", name_));
  check(H5Dwrite(dataset_.id(), native_type(type), mem_space.id(), file_space.id(), H5P_DEFAULT, data),
        "append to column", name_);
  size_ = new_size;
}

}  // namespace wfsim::h5
