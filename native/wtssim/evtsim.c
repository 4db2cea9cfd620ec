#include "wtssim.h"
