/*
 * A Vulkan layer for the WebGPU test rig only (never shipped in the app).
 *
 * WHY: Chromium's Dawn ignores Vulkan devices that lack VK_KHR_external_semaphore_fd, and Mesa's
 * software driver (lavapipe) lacks it. This layer advertises the extension so Dawn lists lavapipe,
 * strips it again before the real vkCreateDevice (lavapipe would refuse it), and makes its two
 * entry points fail, so any real use of it reports an error instead of pretending to work. Dawn also
 * asks whether such semaphores can be exported and imported before it offers the shared-fence
 * features Chromium requires of a Vulkan adapter; the layer says yes for sync and opaque fds.
 * Tests only compute on the device; they never share semaphores with another process.
 */
#include <stdlib.h>
#include <string.h>
#include <vulkan/vulkan.h>
#include <vulkan/vk_layer.h>

#define EXPORT __attribute__((visibility("default")))
#define FAKED_EXTENSION VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME

/* One loader chain per process: every instance and device below us shares the same next functions. */
static PFN_vkGetInstanceProcAddr next_instance_proc;
static PFN_vkGetDeviceProcAddr next_device_proc;
/* Instance-level functions must be looked up with a real instance; the driver's are the same for all. */
static PFN_vkEnumerateDeviceExtensionProperties next_enumerate_extensions;
static PFN_vkCreateDevice next_create_device;
static PFN_vkGetPhysicalDeviceExternalSemaphoreProperties next_semaphore_properties;

static VkLayerInstanceCreateInfo *find_instance_link(const VkInstanceCreateInfo *info) {
  VkLayerInstanceCreateInfo *link = (VkLayerInstanceCreateInfo *)info->pNext;
  while (link && !(link->sType == VK_STRUCTURE_TYPE_LOADER_INSTANCE_CREATE_INFO && link->function == VK_LAYER_LINK_INFO))
    link = (VkLayerInstanceCreateInfo *)link->pNext;
  return link;
}

static VkLayerDeviceCreateInfo *find_device_link(const VkDeviceCreateInfo *info) {
  VkLayerDeviceCreateInfo *link = (VkLayerDeviceCreateInfo *)info->pNext;
  while (link && !(link->sType == VK_STRUCTURE_TYPE_LOADER_DEVICE_CREATE_INFO && link->function == VK_LAYER_LINK_INFO))
    link = (VkLayerDeviceCreateInfo *)link->pNext;
  return link;
}

static VKAPI_ATTR VkResult VKAPI_CALL layer_CreateInstance(const VkInstanceCreateInfo *info,
    const VkAllocationCallbacks *allocator, VkInstance *instance) {
  VkLayerInstanceCreateInfo *link = find_instance_link(info);
  if (!link) return VK_ERROR_INITIALIZATION_FAILED;
  next_instance_proc = link->u.pLayerInfo->pfnNextGetInstanceProcAddr;
  link->u.pLayerInfo = link->u.pLayerInfo->pNext;
  PFN_vkCreateInstance create = (PFN_vkCreateInstance)next_instance_proc(VK_NULL_HANDLE, "vkCreateInstance");
  VkResult result = create(info, allocator, instance);
  if (result != VK_SUCCESS) return result;
  next_enumerate_extensions = (PFN_vkEnumerateDeviceExtensionProperties)next_instance_proc(*instance, "vkEnumerateDeviceExtensionProperties");
  next_create_device = (PFN_vkCreateDevice)next_instance_proc(*instance, "vkCreateDevice");
  next_semaphore_properties = (PFN_vkGetPhysicalDeviceExternalSemaphoreProperties)next_instance_proc(*instance, "vkGetPhysicalDeviceExternalSemaphoreProperties");
  return VK_SUCCESS;
}

static VKAPI_ATTR VkResult VKAPI_CALL layer_EnumerateDeviceExtensionProperties(VkPhysicalDevice device,
    const char *layer_name, uint32_t *count, VkExtensionProperties *properties) {
  /* Our layer itself provides no extensions by name; only the driver's list gets the faked one added. */
  if (layer_name) {
    *count = 0;
    return VK_SUCCESS;
  }
  PFN_vkEnumerateDeviceExtensionProperties next = next_enumerate_extensions;
  uint32_t real_count = 0;
  VkResult result = next(device, NULL, &real_count, NULL);
  if (result != VK_SUCCESS) return result;
  VkExtensionProperties *all = calloc(real_count + 1, sizeof *all);
  if (!all) return VK_ERROR_OUT_OF_HOST_MEMORY;
  result = next(device, NULL, &real_count, all);
  if (result != VK_SUCCESS && result != VK_INCOMPLETE) { free(all); return result; }
  int present = 0;
  for (uint32_t i = 0; i < real_count; i++) present |= strcmp(all[i].extensionName, FAKED_EXTENSION) == 0;
  uint32_t total = real_count;
  if (!present) {
    strcpy(all[total].extensionName, FAKED_EXTENSION);
    all[total].specVersion = VK_KHR_EXTERNAL_SEMAPHORE_FD_SPEC_VERSION;
    total++;
  }
  if (!properties) {
    *count = total;
    free(all);
    return VK_SUCCESS;
  }
  uint32_t copied = *count < total ? *count : total;
  memcpy(properties, all, copied * sizeof *all);
  *count = copied;
  free(all);
  return copied < total ? VK_INCOMPLETE : VK_SUCCESS;
}

static VKAPI_ATTR VkResult VKAPI_CALL layer_CreateDevice(VkPhysicalDevice physical, const VkDeviceCreateInfo *info,
    const VkAllocationCallbacks *allocator, VkDevice *device) {
  VkLayerDeviceCreateInfo *link = find_device_link(info);
  if (!link) return VK_ERROR_INITIALIZATION_FAILED;
  next_device_proc = link->u.pLayerInfo->pfnNextGetDeviceProcAddr;
  link->u.pLayerInfo = link->u.pLayerInfo->pNext;

  const char **names = calloc(info->enabledExtensionCount + 1, sizeof *names);
  if (!names) return VK_ERROR_OUT_OF_HOST_MEMORY;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < info->enabledExtensionCount; i++)
    if (strcmp(info->ppEnabledExtensionNames[i], FAKED_EXTENSION) != 0) names[kept++] = info->ppEnabledExtensionNames[i];
  VkDeviceCreateInfo stripped = *info;
  stripped.enabledExtensionCount = kept;
  stripped.ppEnabledExtensionNames = names;

  VkResult result = next_create_device(physical, &stripped, allocator, device);
  free(names);
  return result;
}

static VKAPI_ATTR VkResult VKAPI_CALL layer_GetSemaphoreFdKHR(VkDevice device, const VkSemaphoreGetFdInfoKHR *info, int *fd) {
  (void)device; (void)info; (void)fd;
  return VK_ERROR_OUT_OF_HOST_MEMORY;
}

static VKAPI_ATTR VkResult VKAPI_CALL layer_ImportSemaphoreFdKHR(VkDevice device, const VkImportSemaphoreFdInfoKHR *info) {
  (void)device; (void)info;
  return VK_ERROR_INVALID_EXTERNAL_HANDLE;
}

/* Dawn asks which semaphore handle types can be exported/imported before it offers the shared-fence
   features Chromium looks for; answer as a driver with the extension would for sync and opaque fds. */
static VKAPI_ATTR void VKAPI_CALL layer_GetPhysicalDeviceExternalSemaphoreProperties(VkPhysicalDevice device,
    const VkPhysicalDeviceExternalSemaphoreInfo *info, VkExternalSemaphoreProperties *properties) {
  if (info->handleType == VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT || info->handleType == VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT) {
    properties->exportFromImportedHandleTypes = info->handleType;
    properties->compatibleHandleTypes = info->handleType;
    properties->externalSemaphoreFeatures = VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT | VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT;
    return;
  }
  next_semaphore_properties(device, info, properties);
}

EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL hearth_rig_GetDeviceProcAddr(VkDevice device, const char *name);

static PFN_vkVoidFunction device_override(const char *name) {
  if (!strcmp(name, "vkGetDeviceProcAddr")) return (PFN_vkVoidFunction)hearth_rig_GetDeviceProcAddr;
  if (!strcmp(name, "vkGetSemaphoreFdKHR")) return (PFN_vkVoidFunction)layer_GetSemaphoreFdKHR;
  if (!strcmp(name, "vkImportSemaphoreFdKHR")) return (PFN_vkVoidFunction)layer_ImportSemaphoreFdKHR;
  return NULL;
}

EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL hearth_rig_GetDeviceProcAddr(VkDevice device, const char *name) {
  PFN_vkVoidFunction own = device_override(name);
  if (own) return own;
  return next_device_proc ? next_device_proc(device, name) : NULL;
}

EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL hearth_rig_GetInstanceProcAddr(VkInstance instance, const char *name) {
  if (!strcmp(name, "vkGetInstanceProcAddr")) return (PFN_vkVoidFunction)hearth_rig_GetInstanceProcAddr;
  if (!strcmp(name, "vkCreateInstance")) return (PFN_vkVoidFunction)layer_CreateInstance;
  if (!strcmp(name, "vkEnumerateDeviceExtensionProperties")) return (PFN_vkVoidFunction)layer_EnumerateDeviceExtensionProperties;
  if (!strcmp(name, "vkCreateDevice")) return (PFN_vkVoidFunction)layer_CreateDevice;
  if (!strcmp(name, "vkGetPhysicalDeviceExternalSemaphoreProperties") || !strcmp(name, "vkGetPhysicalDeviceExternalSemaphorePropertiesKHR"))
    return (PFN_vkVoidFunction)layer_GetPhysicalDeviceExternalSemaphoreProperties;
  PFN_vkVoidFunction own = device_override(name);
  if (own) return own;
  return next_instance_proc ? next_instance_proc(instance, name) : NULL;
}
