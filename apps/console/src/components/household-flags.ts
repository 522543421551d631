/** The 重点人群 flags of a household as the desk names them (the hotline and the registry alike). */
export const FLAG_LABELS = {
  elderlyAlone: '独居老人',
  disabled: '残障',
  postTreatment: '治疗后',
  chronicMedication: '慢病用药',
  infants: '婴幼儿',
  pregnancy: '孕妇',
} as const;
