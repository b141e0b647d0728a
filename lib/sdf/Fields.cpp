#include "sdf/Fields.h"

namespace usdkit {

const FieldNames& fieldNames() {
  static const FieldNames names;
  return names;
}

}  // namespace usdkit
